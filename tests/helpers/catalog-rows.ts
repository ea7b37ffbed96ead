import crypto from 'node:crypto';
import fs from 'node:fs';
import sharp from 'sharp';
import type { Catalog } from '../../electron/core/store/catalog';

/**
 * Rows the importer would write, inserted directly so vision tests do not depend on the import
 * code: a photo (real file, its real displayed size) and an annotation box on it.
 */
export async function insertPhoto(catalog: Catalog, file: string, extra: { individualId?: number; side?: string; bodyPart?: string; box?: { x: number; y: number; w: number; h: number } } = {}): Promise<{ photoId: number; annotationId: number }> {
  const meta = await sharp(file).metadata();
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? meta.height! : meta.width!;
  const height = swap ? meta.width! : meta.height!;
  const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  // Byte-identical files are one photo (as the importer keeps them); the annotation is added to it.
  const existing = catalog.db.prepare('SELECT id FROM photos WHERE sha256 = ?').pluck().get(sha) as number | undefined;
  const photoId =
    existing ??
    Number(
      catalog.db
        .prepare('INSERT INTO photos(sha256, path, original_name, width, height, orientation) VALUES (?, ?, ?, ?, ?, ?)')
        .run(sha, file, file.split('/').pop(), width, height, meta.orientation ?? null).lastInsertRowid,
    );
  const box = extra.box ?? { x: 0, y: 0, w: width, h: height };
  const annotationId = Number(
    catalog.db
      .prepare('INSERT INTO annotations(photo_id, x, y, w, h, body_part, side, individual_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(photoId, box.x, box.y, box.w, box.h, extra.bodyPart ?? 'fluke', extra.side ?? null, extra.individualId ?? null).lastInsertRowid,
  );
  return { photoId, annotationId };
}

export function insertIndividual(catalog: Catalog, code: string): number {
  return Number(catalog.db.prepare('INSERT INTO individuals(code) VALUES (?)').run(code).lastInsertRowid);
}

/** A small photo with random-ish texture, different per seed, as a JPEG file. */
export async function texturedJpeg(file: string, seed: number, width = 96, height = 64): Promise<string> {
  const px = Buffer.alloc(width * height * 3);
  let s = seed * 2654435761 + 1;
  for (let i = 0; i < px.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    px[i] = (s >>> 16) & 0xff;
  }
  await sharp(px, { raw: { width, height, channels: 3 } }).blur(1.2).jpeg({ quality: 92 }).toFile(file);
  return file;
}
