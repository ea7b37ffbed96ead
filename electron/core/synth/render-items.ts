import fs from 'node:fs/promises';
import path from 'node:path';
import { makeIndividual, type Individual } from './individual';
import { encodePhoto } from './photo';
import type { PlannedPhoto } from './plan';

export interface RenderSetup {
  seed: number;
  width: number;
  height: number;
  out: string;
}

/**
 * Draws and writes a run of photos (grouped by individual, so each fluke texture is built once).
 * Drawing is synchronous JavaScript and JPEG encoding runs on sharp's threads, so the next photo
 * is drawn while the previous one encodes and is written.
 */
export class ItemRenderer {
  private current: Individual | null = null;

  constructor(private readonly setup: RenderSetup) {}

  async render(items: PlannedPhoto[], onDone: () => void = () => {}): Promise<void> {
    const { seed, width, height, out } = this.setup;
    let pending: Promise<void> | null = null;
    for (const item of items) {
      if (this.current?.index !== item.individual) this.current = makeIndividual(seed, item.individual);
      const job = encodePhoto(seed, item.index, this.current, width, height, item.exif).then((buf) => fs.writeFile(path.join(out, item.file), buf));
      if (pending) await pending.then(onDone);
      pending = job;
      // Let the encode start before drawing the next photo.
      await new Promise<void>((r) => setImmediate(r));
    }
    if (pending) await pending.then(onDone);
  }
}
