import exifr from 'exifr';

export interface PhotoExif {
  /** Camera local time, `YYYY-MM-DDTHH:MM:SS[.sss][+HH:MM]`: with its offset when the camera wrote one. */
  takenAt: string | null;
  /** UTC (`...Z`) when the offset is known, else the local time as-is: what photos are ordered by. */
  takenAtUtc: string | null;
  latitude: number | null;
  longitude: number | null;
  make: string | null;
  model: string | null;
  orientation: number | null;
}

export const noExif: PhotoExif = { takenAt: null, takenAtUtc: null, latitude: null, longitude: null, make: null, model: null, orientation: null };

const OPTIONS = {
  tiff: true,
  exif: true,
  gps: true,
  ifd1: false,
  interop: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  // Raw strings: revived dates would be read in this laptop's time zone, not the camera's.
  reviveValues: false,
  translateValues: false,
  pick: [
    'DateTimeOriginal', 'OffsetTimeOriginal', 'SubSecTimeOriginal', 'CreateDate', 'OffsetTimeDigitized', 'SubSecTimeDigitized',
    'OffsetTime', 'Make', 'Model', 'Orientation', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef',
  ],
};

/**
 * Reads capture time, GPS, camera and orientation. `exifBlock` is the EXIF block sharp found
 * (the same for JPEG, PNG and WebP, which exifr cannot open itself); TIFF keeps its tags in the
 * file's own IFDs, so the file is parsed directly. Damaged EXIF loses the metadata, not the photo.
 */
export async function readExif(exifBlock: Buffer | undefined, file: Buffer | string, format: string): Promise<PhotoExif> {
  let tags: Record<string, unknown> | undefined;
  try {
    if (exifBlock?.length) tags = await exifr.parse(stripExifHeader(exifBlock), OPTIONS);
    else if (format === 'tiff') tags = await exifr.parse(file, OPTIONS);
  } catch {
    tags = undefined;
  }
  if (!tags) return noExif;
  const str = (k: string): string | null => {
    const v = tags![k];
    return typeof v === 'string' && v.replace(/\0/g, '').trim() ? v.replace(/\0/g, '').trim() : null;
  };
  const original = str('DateTimeOriginal');
  const time = original
    ? exifTime(original, str('SubSecTimeOriginal'), str('OffsetTimeOriginal') ?? str('OffsetTime'))
    : exifTime(str('CreateDate'), str('SubSecTimeDigitized'), str('OffsetTimeDigitized') ?? str('OffsetTime'));
  const lat = tags.latitude;
  const lon = tags.longitude;
  const gpsOk = typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon)
    && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !(lat === 0 && lon === 0); // 0,0: a GPS without a fix
  const orientation = typeof tags.Orientation === 'number' && tags.Orientation >= 1 && tags.Orientation <= 8 ? tags.Orientation : null;
  return {
    takenAt: time?.local ?? null,
    takenAtUtc: time?.utc ?? null,
    latitude: gpsOk ? round(lat as number, 7) : null,
    longitude: gpsOk ? round(lon as number, 7) : null,
    make: str('Make'),
    model: str('Model'),
    orientation,
  };
}

const stripExifHeader = (b: Buffer): Buffer => (b.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? b.subarray(6) : b);
const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

/**
 * EXIF `YYYY:MM:DD HH:MM:SS` (+ sub-seconds, + `±HH:MM` offset) to ISO 8601. Cameras write
 * blanks or zeros when the clock was never set; those are no time at all.
 */
export function exifTime(value: string | null, subsec: string | null, offset: string | null): { local: string; utc: string } | null {
  if (!value) return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const digits = subsec && /^\d+$/.test(subsec) ? subsec : '';
  const ms = digits ? Math.round(Number(`0.${digits}`) * 1000) : 0;
  const frac = digits ? `.${String(Math.min(ms, 999)).padStart(3, '0')}` : '';
  const local = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${frac}`;
  const off = offset ? /^([+-])(\d{2}):?(\d{2})$/.exec(offset.trim()) : null;
  if (!off) return { local, utc: `${local}` };
  const sign = off[1] === '-' ? -1 : 1;
  const minutes = sign * (Number(off[2]) * 60 + Number(off[3]));
  const t = Date.UTC(y, mo - 1, d, h, mi, s, Math.min(ms, 999)) - minutes * 60_000;
  const iso = new Date(t).toISOString(); // always .sssZ
  const utc = digits ? iso : iso.replace(/\.\d{3}Z$/, 'Z');
  return { local: `${local}${off[1]}${off[2]}:${off[3]}`, utc };
}
