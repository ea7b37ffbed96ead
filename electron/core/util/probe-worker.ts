import { parentPort } from 'node:worker_threads';
import { probeSqlite } from '../store/probe';

/**
 * Loads the three native modules a worker thread needs (database, images, inference) and
 * reports their versions: proof that heavy work can run off the main thread.
 */
async function probe() {
  const sqlite = await probeSqlite();
  const sharp = (await import('sharp')).default;
  const ort = await import('onnxruntime-node');
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#336699' } }).png().toBuffer();
  const meta = await sharp(png).metadata();
  return { sqlite, sharp: sharp.versions.sharp, image: `${meta.width}x${meta.height}`, ort: ort.env.versions?.node ?? 'loaded', backends: ort.listSupportedBackends?.().map((b) => b.name) ?? [] };
}

probe().then(
  (r) => parentPort?.postMessage({ ok: true, ...r }),
  (e) => parentPort?.postMessage({ ok: false, error: String(e?.stack ?? e) }),
);
