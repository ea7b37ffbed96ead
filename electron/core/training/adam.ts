/**
 * Adam with L2 weight decay added to the gradient (as torch.optim.Adam's weight_decay), applied to
 * a range of a parameter vector with its own step count: a learner's slice moves only when it trains.
 */
export class Adam {
  readonly m: Float32Array;
  readonly v: Float32Array;

  constructor(
    size: number,
    readonly lr = 1e-3,
    readonly weightDecay = 1e-4,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /**
   * One step on p[start, end) with gradient g[start - gOffset ..]; `t` is this range's step number,
   * from 1. gOffset lets a gradient computed for just that range be passed as it is.
   */
  step(p: Float32Array, g: Float32Array, start: number, end: number, t: number, decay = true, gOffset = 0): void {
    const { m, v, beta1, beta2, eps, lr } = this;
    const wd = decay ? this.weightDecay : 0;
    const c1 = 1 / (1 - beta1 ** t);
    const c2 = 1 / (1 - beta2 ** t);
    for (let i = start; i < end; i++) {
      const gi = g[i - gOffset] + wd * p[i];
      m[i] = beta1 * m[i] + (1 - beta1) * gi;
      v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
      p[i] -= (lr * (m[i] * c1)) / (Math.sqrt(v[i] * c2) + eps);
    }
  }
}
