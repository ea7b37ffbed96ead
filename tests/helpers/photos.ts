import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

export interface PhotoSpec {
  width?: number;
  height?: number;
  /** EXIF DateTimeOriginal as the camera writes it, `YYYY:MM:DD HH:MM:SS`. */
  taken?: string;
  offset?: string;
  gps?: { lat: number; lon: number };
  make?: string;
  model?: string;
  orientation?: number;
  format?: 'jpeg' | 'png' | 'webp' | 'tiff';
  /** Varies the pixels, so photos of the same spec have different bytes. */
  seed?: number;
}

const dms = (v: number) => {
  const a = Math.abs(v);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = Math.round(((a - d) * 60 - m) * 60 * 100);
  return `${d}/1 ${m}/1 ${s}/100`;
};

/** A real image file made by sharp, with real EXIF (sharp's withExif) when asked. */
export async function makePhoto(file: string, spec: PhotoSpec = {}): Promise<string> {
  const { width = 320, height = 240, format = 'jpeg', seed = 0 } = spec;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const ifd0: Record<string, string> = {};
  const ifd2: Record<string, string> = {};
  const ifd3: Record<string, string> = {};
  if (spec.make) ifd0.Make = spec.make;
  if (spec.model) ifd0.Model = spec.model;
  if (spec.taken) ifd2.DateTimeOriginal = spec.taken;
  if (spec.offset) ifd2.OffsetTimeOriginal = spec.offset;
  if (spec.gps) {
    ifd3.GPSLatitudeRef = spec.gps.lat < 0 ? 'S' : 'N';
    ifd3.GPSLatitude = dms(spec.gps.lat);
    ifd3.GPSLongitudeRef = spec.gps.lon < 0 ? 'W' : 'E';
    ifd3.GPSLongitude = dms(spec.gps.lon);
  }
  // A gradient plus a seed-dependent block: distinct bytes, and a visible "up" for orientation checks.
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = (seed * 37) % 256;
    }
  }
  let img = sharp(raw, { raw: { width, height, channels: 3 } });
  const exif: Record<string, Record<string, string>> = {};
  if (Object.keys(ifd0).length) exif.IFD0 = ifd0;
  if (Object.keys(ifd2).length) exif.IFD2 = ifd2;
  if (Object.keys(ifd3).length) exif.IFD3 = ifd3;
  if (Object.keys(exif).length) img = img.withExif(exif);
  if (spec.orientation) img = img.withMetadata({ orientation: spec.orientation });
  await img.toFormat(format).toFile(file);
  return file;
}

/** A JPEG whose header claims `w x h` pixels (a decompression bomb's calling card) but holds a tiny image. */
export async function makeBombJpeg(file: string, w = 30000, h = 30000): Promise<string> {
  const buf = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 1, g: 2, b: 3 } } }).jpeg().toBuffer();
  for (let i = 0; i < buf.length - 8; i++) {
    if (buf[i] === 0xff && buf[i + 1] >= 0xc0 && buf[i + 1] <= 0xc2) {
      buf.writeUInt16BE(h, i + 5);
      buf.writeUInt16BE(w, i + 7);
      break;
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, buf);
  return file;
}
