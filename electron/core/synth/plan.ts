import { individualCode } from './individual';
import type { PhotoExif } from './photo';
import { hashSeed, rng, type Rng } from './prng';
import { UserError } from '../util/errors';

/**
 * Who was photographed when and where: individuals re-sighted on different survey days, a few
 * photos per sighting seconds apart, GPS along each day's boat track, one or two cameras a day.
 * File names follow capture time (like a camera's counter); rendering order groups photos by
 * individual instead, so each worker draws an individual's fluke texture once.
 */
export interface PlannedPhoto {
  /** Position in capture-time order: names the file and seeds the photo's scene. */
  index: number;
  individual: number;
  sighting: string;
  /** Relative to the output folder, '/'-separated. */
  file: string;
  exif: PhotoExif;
}

export interface SynthPlan {
  photos: PlannedPhoto[];
  individuals: number;
  sightings: number;
  days: number;
}

export interface PlanOptions {
  individuals: number;
  photos: number;
  seed: number;
}

/** Survey days per season (June to September) before the calendar moves to the next year. */
const SEASON_DAYS = 120;
const SIGHTINGS_PER_DAY = 10;
const cameras: Array<[string, string, string]> = [
  ['Canon', 'Canon EOS 7D Mark II', 'IMG'],
  ['Canon', 'Canon EOS R7', 'IMG'],
  ['NIKON CORPORATION', 'NIKON D500', 'DSC'],
  ['NIKON CORPORATION', 'NIKON Z 6_2', 'DSC'],
  ['SONY', 'ILCE-7M3', 'DSC'],
];

export function planSynth(o: PlanOptions): SynthPlan {
  if (!Number.isInteger(o.individuals) || o.individuals < 1) throw new UserError(`--individuals must be a whole number >= 1, got ${o.individuals}`, 'usage');
  if (!Number.isInteger(o.photos) || o.photos < o.individuals) throw new UserError(`--photos must be a whole number >= --individuals (${o.individuals}), got ${o.photos}`, 'usage');
  const r = rng(hashSeed(o.seed, 'plan'));
  const counts = photoCounts(r, o.individuals, o.photos);

  // Sightings: each individual's photos split into encounters on distinct days.
  type Sighting = { individual: number; photos: number; day: number; slot: number };
  const perInd: number[][] = counts.map((n) => {
    const perSighting = r.range(1.5, 4);
    let k = Math.max(1, Math.min(n, Math.round(n / perSighting)));
    if (n >= 2) k = Math.max(k, 2);
    return splitCount(r, n, k);
  });
  const total = perInd.reduce((s, p) => s + p.length, 0);
  const maxPer = Math.max(...perInd.map((p) => p.length));
  const days = Math.max(Math.ceil(total / SIGHTINGS_PER_DAY), maxPer + 1);
  const sightings: Sighting[] = [];
  perInd.forEach((parts, individual) => {
    const ds = distinctDays(r, parts.length, days);
    parts.forEach((photos, k) => sightings.push({ individual, photos, day: ds[k], slot: r.next() }));
  });
  sightings.sort((a, b) => a.day - b.day || a.slot - b.slot);

  const photos: Array<PlannedPhoto & { prefix: string }> = [];
  let dayStart = 0;
  let sightingNo = 0;
  while (dayStart < sightings.length) {
    let dayEnd = dayStart;
    while (dayEnd < sightings.length && sightings[dayEnd].day === sightings[dayStart].day) dayEnd++;
    const day = sightings[dayStart].day;
    const dr = rng(hashSeed(o.seed, 'day', day));
    const track = dayTrack(dr);
    const dayCams = [dr.pick(cameras), dr.pick(cameras)];
    const date = surveyDate(day);
    const n = dayEnd - dayStart;
    // Ten hours on the water; sightings at least 35 minutes apart unless it is a busy day.
    const step = Math.min(55, 600 / n);
    for (let k = 0; k < n; k++) {
      const s = sightings[dayStart + k];
      const code = `S${String(++sightingNo).padStart(6, '0')}`;
      let seconds = 8 * 3600 + Math.round((k * step + dr.range(0, step * 0.3)) * 60);
      const [lat, lon] = track(seconds / 3600 - 8);
      const cam = dr.pick(dayCams);
      for (let p = 0; p < s.photos; p++) {
        seconds += p === 0 ? 0 : dr.int(2, 45);
        photos.push({
          index: 0,
          prefix: `${date}/${cam[2]}`,
          individual: s.individual,
          sighting: code,
          file: '',
          exif: {
            dateTimeOriginal: `${date.replace(/-/g, ':')} ${clock(seconds)}`,
            offset: '-04:00',
            lat: round6(lat + dr.normal(0, 0.0003)),
            lon: round6(lon + dr.normal(0, 0.0004)),
            make: cam[0],
            model: cam[1],
          },
        });
      }
    }
    dayStart = dayEnd;
  }
  const planned: PlannedPhoto[] = photos.map(({ prefix, ...p }, i) => ({ ...p, index: i, file: `photos/${prefix}_${String(i + 1).padStart(6, '0')}.jpg` }));
  return { photos: planned, individuals: o.individuals, sightings: sightingNo, days: new Set(sightings.map((s) => s.day)).size };
}

/** `image,individual,side,sighting`: the import's label format. */
export function labelsCsv(plan: SynthPlan): string {
  const lines = ['image,individual,side,sighting'];
  for (const p of plan.photos) lines.push(`${p.file},${individualCode(p.individual)},ventral,${p.sighting}`);
  return `${lines.join('\n')}\n`;
}

/** Every individual at least one photo; the rest shared unevenly (some whales are seen far more often). */
function photoCounts(r: Rng, n: number, total: number): number[] {
  const w = Array.from({ length: n }, () => Math.exp(r.normal(0, 0.6)));
  const sum = w.reduce((a, b) => a + b, 0);
  const extra = total - n;
  const raw = w.map((x) => (x / sum) * extra);
  const counts = raw.map((x) => 1 + Math.floor(x));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) counts[order[k][1]]++;
  return counts;
}

function splitCount(r: Rng, n: number, k: number): number[] {
  const parts = new Array(k).fill(1);
  for (let i = k; i < n; i++) parts[r.int(0, k - 1)]++;
  return parts;
}

function distinctDays(r: Rng, k: number, days: number): number[] {
  const set = new Set<number>();
  while (set.size < k) set.add(r.int(0, days - 1));
  return [...set].sort((a, b) => a - b);
}

/** A survey day's date: June 1 onward, one season per year from 2021. */
export function surveyDate(day: number): string {
  const year = 2021 + Math.floor(day / SEASON_DAYS);
  const d = new Date(Date.UTC(year, 5, 1 + (day % SEASON_DAYS)));
  return d.toISOString().slice(0, 10);
}

/** The boat's position (lat, lon) after `hours` out of harbour: a wandering track over Stellwagen Bank. */
function dayTrack(r: Rng): (hours: number) => [number, number] {
  const lat0 = 42.2 + r.range(-0.05, 0.05);
  const lon0 = -70.35 + r.range(-0.08, 0.08);
  const heading0 = r.range(0, Math.PI * 2);
  const turn = r.normal(0, 0.6);
  const knots = r.range(3, 7);
  return (hours) => {
    let lat = lat0;
    let lon = lon0;
    const steps = Math.max(1, Math.round(hours * 12));
    const dt = hours / steps;
    for (let i = 0; i < steps; i++) {
      const h = heading0 + turn * i * dt + 0.8 * Math.sin(i * dt * 1.3);
      const nm = knots * dt;
      lat += (nm / 60) * Math.cos(h);
      lon += ((nm / 60) * Math.sin(h)) / Math.cos((lat * Math.PI) / 180);
    }
    return [lat, lon];
  };
}

const clock = (s: number): string => [Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60].map((v) => String(v).padStart(2, '0')).join(':');
const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;
