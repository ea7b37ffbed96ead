import sharp from 'sharp';
import type { Individual } from './individual';
import { renderPhoto } from './render';
import { makeScene } from './scene';

/** What a photo's EXIF says: when (camera-local time and its UTC offset), where, with what. */
export interface PhotoExif {
  /** 'YYYY:MM:DD HH:MM:SS', camera-local. */
  dateTimeOriginal: string;
  /** '+HH:MM' / '-HH:MM'. */
  offset: string;
  lat: number;
  lon: number;
  make: string;
  model: string;
}

/** Draws photo `photoIndex` of an individual and encodes it as a JPEG carrying its EXIF. */
export async function encodePhoto(
  seed: number,
  photoIndex: number,
  individual: Individual,
  width: number,
  height: number,
  exif: PhotoExif,
): Promise<Buffer> {
  const scene = makeScene(seed, photoIndex, width, height);
  const raw = renderPhoto(individual.texture, scene, width, height);
  let img = sharp(raw, { raw: { width, height, channels: 3 } });
  if (scene.blur >= 0.35) img = img.blur(scene.blur);
  return img
    .jpeg({ quality: scene.quality, chromaSubsampling: '4:2:0', optimiseCoding: false })
    .withExif(exifTags(exif, photoIndex))
    .toBuffer();
}

export function exifTags(e: PhotoExif, photoIndex: number): Record<string, Record<string, string>> {
  return {
    IFD0: { Make: e.make, Model: e.model, Software: 'Caudal synth (synthetic image)' },
    IFD2: {
      DateTimeOriginal: e.dateTimeOriginal,
      OffsetTimeOriginal: e.offset,
      ExposureTime: `1/${[500, 800, 1000, 1250, 1600, 2000][photoIndex % 6]}`,
      FNumber: `${[56, 63, 71, 80][photoIndex % 4]}/10`,
      ISOSpeedRatings: String([200, 320, 400, 640, 800][photoIndex % 5]),
      FocalLength: `${[200, 300, 400, 560][photoIndex % 4]}/1`,
    },
    IFD3: {
      GPSLatitudeRef: e.lat >= 0 ? 'N' : 'S',
      GPSLatitude: dms(Math.abs(e.lat)),
      GPSLongitudeRef: e.lon >= 0 ? 'E' : 'W',
      GPSLongitude: dms(Math.abs(e.lon)),
    },
  };
}

/** Degrees as EXIF rationals 'd/1 m/1 s/10000'. */
function dms(v: number): string {
  const d = Math.floor(v);
  const mFloat = (v - d) * 60;
  const m = Math.floor(mFloat);
  const s = Math.round((mFloat - m) * 60 * 10000);
  return `${d}/1 ${m}/1 ${s}/10000`;
}
