import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors';
import type { DemoPhoto } from './split';

/**
 * A labelled folder for the demo: `labels.csv` with `image,individual[,side][,sighting]`
 * (images relative to the folder). Rows without an individual are skipped (the demo needs the
 * truth to review from); a photo without a sighting is its own.
 */
export function readDemoDataset(dir: string): DemoPhoto[] {
  const csv = path.join(dir, 'labels.csv');
  if (!fs.existsSync(csv)) throw new UserError(`${dir} has no labels.csv (image,individual[,side][,sighting]) to run the demo from`, 'bad-input');
  const lines = fs.readFileSync(csv, 'utf8').split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  const col = (n: string) => header.indexOf(n);
  const [iImage, iInd, iSide, iSighting] = ['image', 'individual', 'side', 'sighting'].map(col);
  if (iImage < 0 || iInd < 0) throw new UserError(`${csv}: line 1 must name the columns image,individual[,side][,sighting]; found ${lines[0]}`, 'bad-input');
  const photos: DemoPhoto[] = [];
  for (let k = 1; k < lines.length; k++) {
    if (!lines[k].trim()) continue;
    if (lines[k].includes('"')) throw new UserError(`${csv}: line ${k + 1}: quoted fields are not supported by the demo`, 'bad-input');
    const f = lines[k].split(',').map((v) => v.trim());
    const individual = f[iInd] ?? '';
    if (!f[iImage]) throw new UserError(`${csv}: line ${k + 1}: no image named`, 'bad-input');
    if (!individual || individual.toLowerCase() === 'new_whale') continue;
    photos.push({
      image: f[iImage],
      individual,
      side: iSide >= 0 && f[iSide] ? f[iSide].toLowerCase() : null,
      sighting: iSighting >= 0 && f[iSighting] ? f[iSighting] : `photo:${f[iImage]}`,
      order: k,
    });
  }
  if (photos.length < 4) throw new UserError(`${csv}: the demo needs at least 4 labelled photos, found ${photos.length}`, 'bad-input');
  return photos;
}

/** The folders holding the images (the import scans them), so labels.csv and notes are not offered as photos. */
export function imageFolders(dir: string, photos: DemoPhoto[]): string[] {
  const tops = new Set<string>();
  for (const p of photos) {
    const parts = p.image.split(/[\\/]/);
    tops.add(parts.length > 1 ? path.join(dir, parts[0]) : dir);
  }
  return [...tops].sort();
}
