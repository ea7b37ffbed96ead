/**
 * Minimum-cost perfect assignment on a square cost matrix (Kuhn-Munkres with potentials, O(n^3)).
 * Returns rowTo[r] = the column assigned to row r.
 */
export function hungarian(cost: number[][]): number[] {
  const n = cost.length;
  const INF = Number.POSITIVE_INFINITY;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[col] = row matched to col (1-based), 0 = none
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(INF);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  const rowTo = new Array<number>(n).fill(-1);
  for (let j = 1; j <= n; j++) if (p[j] > 0) rowTo[p[j] - 1] = j - 1;
  return rowTo;
}

/**
 * Relabels new clusters so each learner keeps the cluster that overlaps most with the samples it
 * had before. Returns the learner index per sample.
 */
export function matchClusters(previous: Int32Array, next: Int32Array, k: number): Int32Array {
  const overlap = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < next.length; i++) overlap[next[i]][previous[i]]++;
  const clusterTo = hungarian(overlap.map((row) => row.map((o) => -o)));
  return next.map((c) => clusterTo[c]);
}
