import fs from 'node:fs';
import sharp from 'sharp';
import type { CropSource } from '../store/team-sync';

/** Long side of the crop that travels with each annotation, so a match can be reviewed offline. */
export const TEAM_CROP_SIZE = 512;

/**
 * The annotated region as a JPEG of at most 512 px, EXIF orientation applied (boxes are in
 * displayed pixels). Null when the photo file is not on this laptop.
 */
export async function teamCrop(src: CropSource): Promise<Buffer | null> {
  if (!fs.existsSync(src.file)) return null;
  const { data, info } = await sharp(src.file, { failOn: 'none' }).rotate().raw().toBuffer({ resolveWithObject: true });
  const left = Math.max(0, Math.min(info.width - 1, Math.floor(src.box.x)));
  const top = Math.max(0, Math.min(info.height - 1, Math.floor(src.box.y)));
  const width = Math.max(1, Math.min(info.width - left, Math.round(src.box.w)));
  const height = Math.max(1, Math.min(info.height - top, Math.round(src.box.h)));
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .extract({ left, top, width, height })
    .resize(TEAM_CROP_SIZE, TEAM_CROP_SIZE, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer();
}
