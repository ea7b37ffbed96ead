/**
 * Search benchmark (issue 4): exact cosine top-k over generated galleries through the gallery's
 * onnxruntime graph, against sqlite-vec's vec0 KNN and a plain JS loop, in the same run.
 * Reports single-query latency, batched throughput, memory and load-from-SQLite time.
 *
 *   npx tsx bench/search.bench.ts            # default: 10k/100k x 128/1280, 1M x 128 (a few minutes)
 *   BENCH_SIZES=10000,100000 BENCH_DIMS=128 npx tsx bench/search.bench.ts
 *   BENCH_THREADS=1 ...                      # intra-op threads for onnxruntime (default: the app's, cores up to 4)
 * 1M x 1280-d (5.1 GB of float32) is skipped by default: the shared 2-core / 23 GB machine cannot spare it.
 * Set BENCH_HUGE=1 to include it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { Catalog } from '../electron/core/store/catalog';
import { defaultSearchThreads, ExactTopK, loopTopK } from '../electron/core/search/exact-topk';
import { Gallery } from '../electron/core/search/gallery';
import { Matcher } from '../electron/core/match/matcher';
import { Rng } from '../electron/core/training/random';

const sizes = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const dims = (process.env.BENCH_DIMS ?? '128,1280').split(',').map(Number);
const threads = Number(process.env.BENCH_THREADS ?? defaultSearchThreads());
const K = 20;
const BATCH = 64;

function unitRows(n: number, d: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const r = () => rng.next();
  const m = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let ss = 0;
    for (let j = 0; j < d; j++) {
      const x = r() - 0.5;
      m[i * d + j] = x;
      ss += x * x;
    }
    const inv = 1 / Math.sqrt(ss);
    for (let j = 0; j < d; j++) m[i * d + j] *= inv;
  }
  return m;
}

async function median(reps: number, f: () => unknown | Promise<unknown>): Promise<number> {
  await f();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    await f();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;

/** A real catalog file with n embedded annotations (photos/annotations rows included), for load timing. */
function buildCatalog(dir: string, m: Float32Array, n: number, d: number): string {
  const file = path.join(dir, `bench-${n}x${d}.sqlite`);
  const c = Catalog.open(file);
  const db = c.db;
  db.prepare("INSERT INTO models(id, name, kind, manifest, active) VALUES ('bench', 'bench', 'pretrained', '{}', 1)").run();
  const ind = db.prepare('INSERT INTO individuals(code) VALUES (?)');
  const ph = db.prepare("INSERT INTO photos(id, sha256, path, original_name, width, height, taken_at_utc) VALUES (?, ?, '/x.jpg', 'x.jpg', 1, 1, '2024-01-01T00:00:00Z')");
  const an = db.prepare("INSERT INTO annotations(id, photo_id, x, y, w, h, side, individual_id) VALUES (?, ?, 0, 0, 1, 1, 'left', ?)");
  const em = db.prepare("INSERT INTO embeddings(annotation_id, model_id, dim, vector) VALUES (?, 'bench', ?, ?)");
  db.transaction(() => {
    for (let i = 1; i <= Math.ceil(n / 5); i++) ind.run(`ID-${i}`);
    for (let i = 0; i < n; i++) {
      ph.run(i + 1, `s${i}`);
      an.run(i + 1, i + 1, 1 + Math.floor(i / 5));
      em.run(i + 1, d, Buffer.from(m.buffer, i * d * 4, d * 4));
    }
  })();
  c.close();
  return file;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-bench-'));
  const search = await ExactTopK.create({ provider: 'cpu', threads, loopBelow: 0 });
  // The same search on one thread: what the thread count buys, measured in the same run.
  const oneThread = await ExactTopK.create({ provider: 'cpu', threads: 1, loopBelow: 0 });
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on this machine slows every number)`);
  console.log(`search bench: ${os.cpus().length} cores (${os.cpus()[0]?.model}), onnxruntime cpu, ${threads} intra-op thread(s), k=${K}, batch=${BATCH}`);

  // Where the plain loop wins: tiny galleries (justifies ExactTopK's loopBelow).
  const tiny: string[] = [];
  for (const n of [100, 1000, 5000]) {
    const g = unitRows(n, 128, 7);
    const q = unitRows(1, 128, 8);
    const o = await median(50, () => search.search(g, n, 128, q, 1, K));
    const l = await median(50, () => loopTopK(g, n, 128, q, 1, K));
    tiny.push(`${n}x128: onnx ${ms(o)} loop ${ms(l)}`);
  }
  console.log(`tiny galleries (single query): ${tiny.join(' | ')}`);

  for (const d of dims) {
    for (const n of sizes) {
      if (n >= 1_000_000 && d >= 1280 && process.env.BENCH_HUGE !== '1') {
        console.log(`\n${n} x ${d}: skipped (${mb(n * d * 4)} of vectors; set BENCH_HUGE=1 on a machine with the memory)`);
        continue;
      }
      const rssBefore = process.memoryUsage().rss;
      const m = unitRows(n, d, n + d);
      const queries = unitRows(BATCH, d, 99);
      const q1 = queries.subarray(0, d);
      const line: string[] = [];

      const onnx1 = await median(n >= 1_000_000 ? 15 : 25, () => search.search(m, n, d, q1, 1, K));
      const onnxB = await median(n >= 1_000_000 ? 3 : 7, () => search.search(m, n, d, queries, BATCH, K));
      const loop1 = await median(n >= 1_000_000 ? 1 : 3, () => loopTopK(m, n, d, q1, 1, K));
      const one1 = await median(n >= 1_000_000 ? 15 : 25, () => oneThread.search(m, n, d, q1, 1, K));

      // sqlite-vec vec0, in memory, same vectors, cosine distance.
      const vdb = new Database(':memory:');
      sqliteVec.load(vdb);
      vdb.exec(`CREATE VIRTUAL TABLE v USING vec0(embedding float[${d}] distance_metric=cosine)`);
      const ins = vdb.prepare('INSERT INTO v(rowid, embedding) VALUES (?, ?)');
      const tIns = performance.now();
      vdb.transaction(() => {
        for (let i = 0; i < n; i++) ins.run(BigInt(i), Buffer.from(m.buffer, i * d * 4, d * 4));
      })();
      const vecInsert = performance.now() - tIns;
      const knn = vdb.prepare('SELECT rowid, distance FROM v WHERE embedding MATCH ? AND k = ?');
      const qb = Buffer.from(q1.buffer, q1.byteOffset, d * 4);
      const vec1 = await median(n >= 1_000_000 ? 3 : 7, () => knn.all(qb, K));
      // Agreement check: the same top-k rows.
      const ours = await search.search(m, n, d, q1, 1, K);
      const theirs = (knn.all(qb, K) as Array<{ rowid: number }>).map((r) => Number(r.rowid));
      const agree = theirs.filter((r) => Array.from(ours.rows).includes(r)).length;
      vdb.close();

      line.push(`single: onnx ${ms(onnx1)} (1 thread ${ms(one1)}), sqlite-vec ${ms(vec1)}, js loop ${ms(loop1)}`);
      line.push(`ratios: sqlite-vec/onnx ${(vec1 / onnx1).toFixed(1)}x, loop/onnx ${(loop1 / onnx1).toFixed(1)}x, 1 thread/onnx ${(one1 / onnx1).toFixed(2)}x`);
      line.push(`batched ${BATCH}: onnx ${((BATCH / onnxB) * 1000).toFixed(0)} q/s (${ms(onnxB / BATCH)}/q), sqlite-vec ${(1000 / vec1).toFixed(0)} q/s, loop ${(1000 / loop1).toFixed(0)} q/s`);
      line.push(`top-${K} agreement with sqlite-vec ${agree}/${K}; vec0 insert ${ms(vecInsert)}`);

      // Load-from-SQLite through the real catalog schema (up to 100k rows: building bigger files takes minutes).
      if (n <= 100_000) {
        const file = buildCatalog(tmp, m, n, d);
        const c = Catalog.open(file);
        // Wall time and this process's CPU time: on a shared machine the gap is time spent waiting for a core.
        const t = performance.now();
        const cpu = process.cpuUsage();
        const g = Gallery.load(c.store.embeddings, 'bench');
        const load = performance.now() - t;
        const used = process.cpuUsage(cpu);
        line.push(`load from catalog: ${ms(load)} wall, ${ms((used.user + used.system) / 1000)} cpu (${g.size} rows, matrix+metadata ${mb(g.bytes)})`);
        // End to end through the matcher: filter mask, search, individuals, new-individual estimate.
        const matcher = new Matcher(c.store, { provider: 'cpu', threads });
        const qv = Float32Array.from(q1);
        const full = await median(7, () => matcher.matchVector(qv, { side: 'left', bodyPart: 'fluke' }, 10));
        line.push(`matcher.matchVector (same side, top 10 individuals): ${ms(full)} vs bare search ${ms(onnx1)}`);
        c.close();
        fs.rmSync(file, { force: true });
      }
      line.push(`memory: vectors ${mb(n * d * 4)}, process rss +${mb(process.memoryUsage().rss - rssBefore)}`);
      console.log(`\n${n} x ${d}\n  ${line.join('\n  ')}`);
    }
  }
  await search.release();
  await oneThread.release();
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
