import fs from 'node:fs';
import sharp from 'sharp';
import { readExif, type PhotoExif } from './exif';

/**
 * The decompression-bomb guard: 150 megapixels. The largest camera sensors in use (medium
 * format, 100-150 MP) pass; a few-kilobyte file that claims 30000 x 30000 pixels (and would
 * need gigabytes to decode) is refused from its header, before any pixel is decoded.
 */
export const MAX_INPUT_PIXELS = 150_000_000;

const FORMATS: Record<string, string> = { jpeg: '.jpg', png: '.png', tiff: '.tif', webp: '.webp' };

export interface ImageInfo extends PhotoExif {
  format: string;
  /** Extension for a copied original, from the content rather than the name. */
  ext: string;
  /** As displayed: EXIF orientation applied. */
  width: number;
  height: number;
}

/** Header-only look at an image: format, size and EXIF. Throws a person-readable reason. */
export async function inspectImage(input: Buffer | string): Promise<ImageInfo> {
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    // Header only: no pixels are decoded here, so the size is read unchecked and judged below, by name.
    meta = await sharp(input, { limitInputPixels: false, failOn: 'truncated' }).metadata();
  } catch (e) {
    throw new Error(decodeReason(e));
  }
  const format = meta.format ?? 'unknown';
  if (!(format in FORMATS)) throw new Error(`not a photo Caudal reads (the content is ${format}); JPEG, PNG, TIFF and WebP are`);
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!w || !h) throw new Error('the image has no size');
  if (w * h > MAX_INPUT_PIXELS) {
    throw new Error(`image too large: ${w} x ${h} = ${mp(w * h)} MP exceeds the ${mp(MAX_INPUT_PIXELS)} MP limit (decompression-bomb guard)`);
  }
  const exif = await readExif(meta.exif, input, format);
  // sharp's reading of the orientation is the one its rotate() applies to the renditions.
  const orientation = meta.orientation ?? exif.orientation ?? null;
  const turned = orientation !== null && orientation >= 5;
  return { ...exif, orientation, format, ext: FORMATS[format], width: turned ? h : w, height: turned ? w : h };
}

const mp = (px: number) => Math.round(px / 1e6);

const PNG_END = Buffer.from('49454e44ae426082', 'hex');

/** True when a JPEG lacks its end-of-image marker or a PNG its IEND chunk (a cut-off copy). */
export function endsShort(input: Buffer | string, format: string): boolean {
  if (format !== 'jpeg' && format !== 'png') return false;
  let tail: Buffer;
  if (typeof input === 'string') {
    const fd = fs.openSync(input, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      tail = Buffer.alloc(Math.min(64, size));
      fs.readSync(fd, tail, 0, tail.length, size - tail.length);
    } finally {
      fs.closeSync(fd);
    }
  } else tail = input.subarray(Math.max(0, input.length - 64));
  // Some writers pad after the marker, so look near the end rather than at the last bytes only.
  if (format === 'jpeg') return !tail.includes(Buffer.from([0xff, 0xd9]));
  return !tail.includes(PNG_END);
}

/** sharp's and libvips' messages, in words for the person importing. */
export function decodeReason(e: unknown, cutShort = false): string {
  const msg = (e as Error).message ?? String(e);
  // libvips' message can be lost between its threads ("Unknown error"): the file's end tells.
  if (cutShort) return `damaged or truncated image (the file ends before the image does; ${msg.trim()})`;
  if (/unsupported image format/i.test(msg)) return 'not an image (the content is not JPEG, PNG, TIFF or WebP)';
  if (/pixel limit/i.test(msg)) return `image too large: exceeds the ${mp(MAX_INPUT_PIXELS)} MP limit (decompression-bomb guard)`;
  if (/premature end|truncated|unexpected end|not enough data|read error|short read/i.test(msg)) return `damaged or truncated image (${msg.trim()})`;
  return `cannot decode image (${msg.trim()})`;
}
