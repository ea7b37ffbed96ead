// Synthetic fluke generator speed: photos/s end to end (draw, encode JPEG with EXIF, write),
// raw-pixel drawing on all cores vs one thread, against drawing the same kind of scene as SVG
// rendered by sharp (librsvg) in the same run. `npm run bench -- synth`; SYNTH_BENCH_PHOTOS=N.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { generateSynth } from '../electron/core/synth/generate';
import { makeIndividual, TEX_X0, TEX_X1, type Individual } from '../electron/core/synth/individual';
import { exifTags } from '../electron/core/synth/photo';
import { planSynth } from '../electron/core/synth/plan';
import { forward } from '../electron/core/synth/render';
import { makeScene, type Scene } from '../electron/core/synth/scene';

const photos = Number(process.env.SYNTH_BENCH_PHOTOS ?? 1200);
const individuals = Math.max(1, Math.round(photos / 12));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-synth-bench-'));

async function main() {
  const cores = os.availableParallelism();
  // CPU seconds (all threads of this process) as well as wall time: on a shared machine the
  // wall clock measures the neighbours; photos per CPU-second measures the generator.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  let c0 = cpu();
  const all = await generateSynth({ individuals, photos, seed: 1, out: path.join(tmp, 'all'), workers: cores });
  const allCpu = cpu() - c0;
  c0 = cpu();
  const one = await generateSynth({ individuals, photos, seed: 1, out: path.join(tmp, 'one'), workers: 1 });
  const oneCpu = cpu() - c0;
  c0 = cpu();
  const svgN = Math.min(photos, 300);
  const svgRate = await svgPhotosPerSecond(svgN);
  const svgCpu = cpu() - c0;
  const bytes = fs.statSync(path.join(tmp, 'all', planSynth({ individuals, photos, seed: 1 }).photos[0].file)).size;
  console.log(`synthetic flukes, ${photos} photos of ${individuals} individuals at 480x320 (~${(bytes / 1024).toFixed(0)} KiB each)`);
  const perCpu = (n: number, s: number) => Math.round(n / s);
  console.log(`  raw pixels, ${all.workers} worker threads   ${all.photosPerSecond} photos/s wall  ${perCpu(photos, allCpu)} photos per CPU-second  (${all.seconds} s)`);
  console.log(`  raw pixels, 1 worker thread     ${one.photosPerSecond} photos/s wall  ${perCpu(photos, oneCpu)} photos per CPU-second  (wall x${(all.photosPerSecond / one.photosPerSecond).toFixed(2)} for ${all.workers} threads)`);
  console.log(`  SVG via sharp/librsvg, 1 thread ${svgRate} photos/s wall  ${perCpu(svgN, svgCpu)} photos per CPU-second  (raw pixels x${(perCpu(photos, oneCpu) / perCpu(svgN, svgCpu)).toFixed(2)} per CPU-second)`);
  console.log(`  100,000 photos: about ${Math.round(100000 / all.photosPerSecond)} s at this run's wall rate; ${Math.round(100000 / perCpu(photos, allCpu) / cores)} s with ${cores} idle cores`);
  console.log(`  load average during the run: ${os.loadavg()[0].toFixed(1)} on ${cores} cores`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

/**
 * The alternative: the same scene as SVG (sky and sea gradients, the fluke outline as a path,
 * its pigment as blurred patches clipped to it), rasterised and encoded by sharp. Simpler than
 * the raw drawing (no waves, spray or grain), so it flatters SVG.
 */
async function svgPhotosPerSecond(n: number): Promise<number> {
  const plan = planSynth({ individuals, photos: n, seed: 1 }).photos;
  const cache = new Map<number, Individual>();
  const t = performance.now();
  for (const p of plan) {
    let ind = cache.get(p.individual);
    if (!ind) cache.set(p.individual, (ind = makeIndividual(1, p.individual)));
    const scene = makeScene(1, p.index, 480, 320);
    const buf = await sharp(Buffer.from(svgFor(ind, scene)))
      .jpeg({ quality: scene.quality })
      .withExif(exifTags(p.exif, p.index))
      .toBuffer();
    fs.writeFileSync(path.join(tmp, `svg-${p.index}.jpg`), buf);
  }
  return Math.round(n / ((performance.now() - t) / 1000));
}

function svgFor(ind: Individual, s: Scene): string {
  const tex = ind.texture;
  const sx = (TEX_X1 - TEX_X0) / tex.width;
  const top: string[] = [];
  const bottom: string[] = [];
  for (let c = 0; c < tex.width; c += 2) {
    const x = TEX_X0 + (c + 0.5) * sx;
    if (Number.isNaN(tex.trailing[c])) continue;
    const [tx, ty] = forward(s, x, tex.trailing[c]);
    top.push(`${tx.toFixed(1)},${ty.toFixed(1)}`);
    const [bx, by] = forward(s, x, tex.trailing[c] - 0.45 * (1 - Math.abs(x) ** 2));
    bottom.unshift(`${bx.toFixed(1)},${by.toFixed(1)}`);
  }
  const rgb = (c: number[]) => `rgb(${c.map((v) => Math.round(Math.min(1, v) * 255)).join(',')})`;
  const patches: string[] = [];
  for (let k = 0; k < 12; k++) {
    const row = Math.floor(tex.height * (0.2 + 0.03 * k));
    const col = Math.floor(tex.width * (0.1 + 0.065 * k));
    const a = tex.albedo[row * tex.width + col];
    const [px, py] = forward(s, TEX_X0 + col * sx, 0.3 - 0.02 * k);
    patches.push(`<ellipse cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" rx="${(s.span * 0.06).toFixed(1)}" ry="${(s.span * 0.03).toFixed(1)}" fill="${rgb([a, a, a])}"/>`);
  }
  const hz = Math.max(0, s.horizon) / 320;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
<stop offset="0" stop-color="${rgb(s.skyTop)}"/><stop offset="${hz.toFixed(3)}" stop-color="${rgb(s.skyLow)}"/>
<stop offset="${hz.toFixed(3)}" stop-color="${rgb(s.seaFar)}"/><stop offset="1" stop-color="${rgb(s.sea)}"/></linearGradient>
<clipPath id="f"><polygon points="${top.concat(bottom).join(' ')}"/></clipPath>
<filter id="b"><feGaussianBlur stdDeviation="${Math.max(0.3, s.blur).toFixed(2)}"/></filter></defs>
<rect width="480" height="320" fill="url(#g)"/>
<g filter="url(#b)"><polygon points="${top.concat(bottom).join(' ')}" fill="rgb(30,30,32)"/>
<g clip-path="url(#f)">${patches.join('')}</g></g></svg>`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
