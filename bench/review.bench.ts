// Review workbench speed, in Debian's Chromium through `caudal serve`: the time from a decision
// key (Enter = confirm) to the next query and all its candidates fully shown (every image
// loaded), on a generated catalog of 10k individuals and 50k photos.
// Compared in the same run: a reviewer who looks at each query for a moment (the prefetch of
// the next query has finished) against one who presses at once (it has not), and the server
// time of one `review.item` (what the prefetch hides), and moving to the next query without a
// decision (rendering alone). Aim: under 100 ms.
//   npm run bench -- review        (BENCH_INDIVIDUALS / BENCH_PHOTOS / BENCH_DECISIONS to resize)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Backend } from '../electron/core/api/backend';
import { defaultRendererDir } from '../electron/server/serve';
import { launchChromium } from '../tests/helpers/browser';
import { buildReviewCatalog } from '../tests/helpers/review-fixture';
import { serveCatalog } from '../tests/helpers/serve';

const INDIVIDUALS = Number(process.env.BENCH_INDIVIDUALS ?? 10_000);
const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 50_000);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 20);
// A reviewer compares each query for seconds; the prefetch of the next query works meanwhile.
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 3000);

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), min: s[0], max: s[s.length - 1], n: s.length };
};
const fmt = (x: ReturnType<typeof stats>) => `median ${x.median.toFixed(1)} ms · p95 ${x.p95.toFixed(1)} ms · min ${x.min.toFixed(1)} · max ${x.max.toFixed(1)} (n=${x.n})`;

async function main() {
  if (!fs.existsSync(path.join(defaultRendererDir(), 'index.html'))) throw new Error('renderer not built: run `npm run build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-bench-review-'));
  const file = path.join(dir, 'bench.sqlite');
  let t = performance.now();
  const queries = DECISIONS * 2 + 20;
  const fx = await buildReviewCatalog(file, {
    individuals: INDIVIDUALS,
    photosPerIndividual: Math.max(1, Math.round((PHOTOS - queries) / INDIVIDUALS)),
    queries,
    dim: 64,
    maxImages: 48,
    linkRenditions: true,
  });
  console.log(`generated ${INDIVIDUALS} individuals, ${PHOTOS} photos, ${queries} queries in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // What one screen costs the backend (the matcher dominates): the prefetch hides this.
  const b = new Backend(file);
  const serverTimes: number[] = [];
  for (const q of fx.queries.slice(0, 8)) {
    t = performance.now();
    await b.request('review.item', { annotationId: q.annotationId, top: 9 });
    serverTimes.push(performance.now() - t);
  }
  // The other lists of the issue, paged from SQLite: the catalog grid (a page deep in, a search) and the queue.
  const timed = async (f: () => Promise<unknown>, n = 5) => {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await f();
      xs.push(performance.now() - t0);
    }
    return stats(xs);
  };
  const gridPage = await timed(() => b.request('individuals.list', { offset: Math.floor(INDIVIDUALS / 2), limit: 120 }));
  const gridSearch = await timed(() => b.request('individuals.list', { search: 'HW-09', limit: 120 }));
  const queuePage = await timed(() => b.request('review.queue', { limit: 200 }));
  await b.close();

  const server = await serveCatalog(file);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => {
      const w = window as unknown as { __keyAt: number };
      w.__keyAt = 0;
      window.addEventListener('keydown', () => (w.__keyAt = performance.now()), { capture: true });
    });
    await page.goto(`${server.url}#/review`);
    // Shown = the expected query with every workbench image loaded, and the first candidate listed.
    const shown = (id: number) =>
      page.waitForFunction(
        (id) => {
          const q = document.querySelector('[data-testid="review-query"]');
          const w = window as unknown as { __keyAt: number; __domAt: number };
          if (!q || q.getAttribute('data-annotation-id') !== String(id) || !document.querySelector('[data-testid="candidate-1"]')) return false;
          if (!w.__domAt) w.__domAt = performance.now() - w.__keyAt;
          const imgs = [...document.querySelectorAll('.workbench img')];
          if (!imgs.every((i) => i.getAttribute('data-loaded') === '1')) return false;
          const r = [w.__domAt, performance.now() - w.__keyAt];
          w.__domAt = 0;
          return r;
        },
        id,
        { polling: 'raf', timeout: 30_000 },
      );
    await shown(fx.queries[0].annotationId);
    const run = async (from: number, n: number, thinkMs: number, key = 'Enter') => {
      const dom: number[] = [];
      const full: number[] = [];
      for (let i = from; i < from + n; i++) {
        if (thinkMs) await page.waitForTimeout(thinkMs);
        await page.keyboard.press(key);
        const h = await shown(fx.queries[i + 1].annotationId);
        const [d, f] = (await h.jsonValue()) as [number, number];
        dom.push(d);
        full.push(f);
      }
      return { dom: stats(dom), full: stats(full) };
    };
    // Moving to the next query without deciding: the rendering cost alone, for comparison.
    const browse = await run(0, Math.min(10, DECISIONS), 600, 'ArrowRight');
    for (let i = 0; i < Math.min(10, DECISIONS); i++) await page.keyboard.press('ArrowLeft');
    await shown(fx.queries[0].annotationId);
    const settledRun = await run(0, DECISIONS, THINK_MS);
    const hurriedRun = await run(DECISIONS, DECISIONS, 0);
    const settled = settledRun.full;
    const hurried = hurriedRun.full;
    const item = stats(serverTimes);
    console.log(`decision key -> next query and candidates fully shown (catalog ${INDIVIDUALS} individuals / ${PHOTOS} photos):`);
    console.log(`  reviewer looks ${THINK_MS} ms first (prefetch had time): ${fmt(settled)}`);
    console.log(`    of which the query and candidates on screen (before images): ${fmt(settledRun.dom)}`);
    console.log(`  → to the next query without deciding (render only): ${fmt(browse.full)}`);
    console.log(`  reviewer presses at once (no time to prefetch): ${fmt(hurried)}`);
    console.log(`  review.item on the server (match.annotation + photos; the first call builds the index): ${fmt(item)}`);
    console.log(`server, paged from SQLite: individuals.list page of 120 at offset ${Math.floor(INDIVIDUALS / 2)}: ${fmt(gridPage)}`);
    console.log(`  individuals.list search 'HW-09': ${fmt(gridSearch)}; review.queue first 200: ${fmt(queuePage)}`);
    console.log(`  ratios (median): hurried/settled ${(hurried.median / settled.median).toFixed(1)}x, decision/render-only ${(settled.median / browse.full.median).toFixed(2)}x`);
    console.log(`  target < 100 ms (settled median): ${settled.median < 100 ? 'met' : 'NOT met'}; machine load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
