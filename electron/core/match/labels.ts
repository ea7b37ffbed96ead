import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors';
import type { LabelledItem } from './evaluate';

export interface DatasetItem extends LabelledItem {
  image: string;
  /** Absolute path of the image. */
  file: string;
}

/**
 * A labelled folder's `labels.csv`: `image,individual[,side][,sighting]` (header row required,
 * columns by name, simple quoting). Errors name the file and line.
 */
export function readLabels(dir: string): DatasetItem[] {
  const file = path.join(path.resolve(dir), 'labels.csv');
  if (!fs.existsSync(file)) throw new UserError(`no labels.csv in ${path.resolve(dir)} (expected columns image,individual[,side][,sighting])`, 'not-found');
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsv(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [ci, cn, cs, cg] = [col('image'), col('individual'), col('side'), col('sighting')];
  if (ci < 0 || cn < 0) throw new UserError(`${file}: the header must name the columns image and individual (found: ${header.join(',')})`, 'bad-input');
  const out: DatasetItem[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const f = splitCsv(lines[i]);
    const image = f[ci]?.trim();
    const individual = f[cn]?.trim();
    if (!image || !individual) throw new UserError(`${file} line ${i + 1}: image and individual are required`, 'bad-input');
    const abs = path.resolve(path.dirname(file), image);
    if (!fs.existsSync(abs)) throw new UserError(`${file} line ${i + 1}: image ${image} not found`, 'not-found');
    out.push({ image, file: abs, individual, side: cs >= 0 ? f[cs]?.trim() || null : null, sighting: cg >= 0 ? f[cg]?.trim() || null : null });
  }
  if (out.length === 0) throw new UserError(`${file} lists no images`, 'bad-input');
  return out;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
