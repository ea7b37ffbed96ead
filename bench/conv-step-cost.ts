/**
 * Research script (issue 8): what one training step would cost if the backbone's last 1x1
 * convolution (320 -> 1280 channels, applied at each of the 7 x 7 positions before pooling) were
 * trained instead of a head on pooled features. Times the two products of that step through the
 * same onnxruntime Gemm the trainer uses, for a batch of 20 individuals x 4 photos, next to the
 * step the pretrained-start head takes now (80 pooled rows, 1280 -> 1280).
 * Run: npx tsx bench/conv-step-cost.ts
 */
import { ortGemm } from '../electron/core/training/gemm-ort';

async function time(label: string, n: number, k: number, rows: number, gemm: Awaited<ReturnType<typeof ortGemm>>) {
  const x = new Float32Array(n * k).map(() => Math.random());
  const W = new Float32Array(rows * k).map(() => Math.random());
  const g = new Float32Array(n * rows).map(() => Math.random());
  for (let i = 0; i < 3; i++) {
    await gemm.xwT(x, n, k, W, 0, rows);
    await gemm.gTx(g, n, rows, x, k);
  }
  const reps = 10;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    await gemm.xwT(x, n, k, W, 0, rows);
    await gemm.gTx(g, n, rows, x, k);
  }
  const ms = (performance.now() - t0) / reps;
  console.log(`${label}: ${ms.toFixed(1)} ms per step (products only)`);
  return ms;
}

async function main() {
  const gemm = await ortGemm(2);
  const head = await time('pooled head 1280 -> 1280, 80 rows', 80, 1280, 1280, gemm);
  const conv = await time('last conv 320 -> 1280 at 49 positions, 3,920 rows', 80 * 49, 320, 1280, gemm);
  console.log(`ratio ${(conv / head).toFixed(1)}x; at 15 steps x 100 epochs x 2 runs: ${((conv * 15 * 100 * 2) / 1000).toFixed(0)} s of products alone`);
  await gemm.dispose?.();
}
void main();
