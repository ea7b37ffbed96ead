import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Catalog } from '../../electron/core/store/catalog';
import { renditionFile } from '../../electron/core/media/media';

export interface ReviewFixtureOptions {
  individuals: number;
  /** Identified gallery photos per individual. */
  photosPerIndividual: number;
  /** Unidentified queries of known individuals (individual i % individuals). */
  queries: number;
  /** Unidentified queries of animals not in the catalog. */
  newQueries?: number;
  dim?: number;
  /** Distinct image files; photos share them beyond this (big benchmark catalogs). */
  maxImages?: number;
  /** Symlink ready-made thumb/preview renditions for every photo (big catalogs). */
  linkRenditions?: boolean;
  seed?: number;
}

export interface ReviewFixture {
  file: string;
  modelId: string;
  individuals: Array<{ id: number; code: string }>;
  /** Unidentified annotations in encounter order, with the truth: the individual's id, or null for a new animal. */
  queries: Array<{ annotationId: number; truth: number | null }>;
}

export const W = 640;
export const H = 400;
/** Where the fluke lies in every generated photo (before the per-photo shift). */
const FLUKE = { x: 50, y: 130, w: 540, h: 220 };

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A humpback fluke with the individual's own white markings, shifted a little per photo. */
export function flukeSvg(individual: number, variant: number): string {
  const r = rng(individual * 7919 + 13);
  const marks = Array.from({ length: 7 }, () => {
    const cx = 80 + r() * 480;
    const cy = 170 + r() * 120;
    return `<ellipse cx="${cx.toFixed(0)}" cy="${cy.toFixed(0)}" rx="${(8 + r() * 40).toFixed(0)}" ry="${(5 + r() * 18).toFixed(0)}" fill="#f2f2f2"/>`;
  }).join('');
  const v = rng(variant * 31 + individual);
  const dx = (v() - 0.5) * 20;
  const dy = (v() - 0.5) * 16;
  const sea = ['#1f4e66', '#24576e', '#1b4258', '#2a5f75'][variant % 4];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
  <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#9fb9c8"/><stop offset="0.3" stop-color="${sea}"/><stop offset="1" stop-color="#0d2533"/></linearGradient>
  <clipPath id="f"><path id="p" d="M320 250 C 250 200 140 150 50 140 C 90 200 200 260 300 300 L 310 350 L 330 350 L 340 300 C 440 260 550 200 590 140 C 500 150 390 200 320 250 Z"/></clipPath></defs>
  <rect width="${W}" height="${H}" fill="url(#s)"/>
  <g transform="translate(${dx.toFixed(1)} ${dy.toFixed(1)})"><g clip-path="url(#f)"><rect x="0" y="0" width="${W}" height="${H}" fill="#202427"/>${marks}</g></g>
  <rect y="${H - 40}" width="${W}" height="40" fill="#0d2533" opacity="0.6"/>
</svg>`;
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const k = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] *= k;
  return v;
}

/**
 * A real catalog for review tests: individuals with identified photos (real JPEG files on disk),
 * unidentified queries, an active pretrained model and embeddings built so that each query's
 * own individual is its nearest neighbour (new animals get vectors far from everyone), so the
 * real matcher ranks them as a person would expect.
 */
export async function buildReviewCatalog(file: string, o: ReviewFixtureOptions): Promise<ReviewFixture> {
  const dim = o.dim ?? 32;
  const rand = rng(o.seed ?? 42);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const imgDir = path.join(path.dirname(file), 'photos');
  fs.mkdirSync(imgDir, { recursive: true });
  const c = Catalog.open(file);
  const db = c.db;
  const modelId = 'mobilenetv2-12-int8';
  db.prepare("INSERT INTO models(id, name, kind, manifest, active) VALUES (?, 'MobileNetV2 (pretrained)', 'pretrained', '{}', 1)").run(modelId);
  const centers = Array.from({ length: o.individuals }, () => unit(Float32Array.from({ length: dim }, gauss)));
  const near = (center: Float32Array, noise: number) => unit(Float32Array.from(center, (x) => x + gauss() * noise));
  const imageFiles = new Map<string, string>();
  const maxImages = o.maxImages ?? Infinity;
  const image = async (individual: number, variant: number): Promise<string> => {
    const key = imageFiles.size >= maxImages ? [...imageFiles.keys()][(individual * 3 + variant) % imageFiles.size] : `${individual}-${variant}`;
    const have = imageFiles.get(key);
    if (have) return have;
    const p = path.join(imgDir, `${key}.jpg`);
    await sharp(Buffer.from(flukeSvg(individual, variant))).jpeg({ quality: 80 }).toFile(p);
    imageFiles.set(key, p);
    return p;
  };
  const nGallery = o.individuals * o.photosPerIndividual;
  const nEnc = Math.max(1, Math.floor(nGallery / 5));
  const day = (n: number) => new Date(Date.UTC(2019, 5, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const insEnc = db.prepare('INSERT INTO encounters(code, start_time, location) VALUES (?, ?, ?)');
  const insInd = db.prepare('INSERT INTO individuals(code, name) VALUES (?, ?)');
  const insPhoto = db.prepare(
    `INSERT INTO photos(sha256, path, original_name, width, height, taken_at, taken_at_utc, encounter_id, latitude, longitude) VALUES (?, ?, ?, ${W}, ${H}, ?, ?, ?, ?, ?)`,
  );
  const insAnn = db.prepare("INSERT INTO annotations(photo_id, x, y, w, h, body_part, individual_id, identified_by, identified_at) VALUES (?, ?, ?, ?, ?, 'fluke', ?, ?, ?)");
  const insEmb = db.prepare('INSERT INTO embeddings(annotation_id, model_id, dim, vector) VALUES (?, ?, ?, ?)');
  const names = ['Salt', 'Pepper', 'Nova', 'Cascade', 'Talon', 'Ghost', 'Ember', 'Tide', 'Orca Bay', 'Lumen'];
  const individuals: ReviewFixture['individuals'] = [];
  const queries: ReviewFixture['queries'] = [];
  let photoN = 0;
  const addPhoto = async (individual: number, variant: number, encounterId: number, takenDay: string, minute: number) => {
    const p = await image(individual, variant);
    const sha = `fixture-${photoN++}`;
    const t = `${takenDay}T${String(9 + Math.floor(minute / 60) % 10).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
    const id = Number(insPhoto.run(sha, p, `IMG_${String(photoN).padStart(5, '0')}.jpg`, `${t}-07:00`, `${t}Z`, encounterId, 57.1 + rand() * 0.2, -135.4 + rand() * 0.2).lastInsertRowid);
    if (o.linkRenditions) {
      for (const kind of ['thumb', 'preview'] as const) {
        const dest = renditionFile(c, sha, kind);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.symlinkSync(p, dest);
      }
    }
    return id;
  };
  const boxFor = () => [FLUKE.x - 5, FLUKE.y - 5, FLUKE.w + 10, FLUKE.h + 10] as const;
  db.transaction(() => {
    for (let e = 0; e < nEnc; e++) insEnc.run(`E${String(e + 1).padStart(5, '0')}`, `${day(e % 700)}T09:00:00Z`, 'Frederick Sound');
    for (let i = 0; i < o.individuals; i++) {
      const code = `HW-${String(i + 1).padStart(4, '0')}`;
      const id = Number(insInd.run(code, i < names.length ? names[i] : null).lastInsertRowid);
      individuals.push({ id, code });
    }
  })();
  // Gallery: photos are written outside the transaction (sharp is async), rows in batches.
  const rows: Array<() => void> = [];
  for (let i = 0; i < o.individuals; i++) {
    for (let j = 0; j < o.photosPerIndividual; j++) {
      const enc = ((i + j * 7) % nEnc) + 1;
      const photo = await addPhoto(i, j, enc, day((enc - 1) % 700), j * 3);
      const v = near(centers[i], 0.08);
      rows.push(() => {
        const a = Number(insAnn.run(photo, ...boxFor(), individuals[i].id, 'fixture', '2020-01-01T00:00:00.000Z').lastInsertRowid);
        insEmb.run(a, modelId, dim, Buffer.from(v.buffer));
      });
      if (rows.length >= 5000) db.transaction(() => rows.splice(0).forEach((f) => f()))();
    }
  }
  db.transaction(() => rows.splice(0).forEach((f) => f()))();
  const qEnc = db.prepare('INSERT INTO encounters(code, start_time, location) VALUES (?, ?, ?)');
  const total = o.queries + (o.newQueries ?? 0);
  let encId = 0;
  for (let q = 0; q < total; q++) {
    const isNew = q >= o.queries;
    const ind = isNew ? o.individuals + q : q % o.individuals;
    // Four queries per field encounter, as a day's sighting of a group.
    if (q % 4 === 0) encId = Number(qEnc.run(`S${String(q / 4 + 1).padStart(4, '0')}`, `2024-07-${String(1 + (q / 4) % 28).padStart(2, '0')}T10:00:00Z`, 'Chatham Strait').lastInsertRowid);
    const photo = await addPhoto(ind, 100 + q, encId, `2024-07-${String(1 + Math.floor(q / 4) % 28).padStart(2, '0')}`, q);
    const v = isNew ? unit(Float32Array.from({ length: dim }, gauss)) : near(centers[ind], 0.07);
    const a = Number(db.prepare("INSERT INTO annotations(photo_id, x, y, w, h, body_part) VALUES (?, ?, ?, ?, ?, 'fluke')").run(photo, ...boxFor()).lastInsertRowid);
    insEmb.run(a, modelId, dim, Buffer.from(v.buffer));
    queries.push({ annotationId: a, truth: isNew ? null : individuals[ind].id });
  }
  c.close();
  return { file, modelId, individuals, queries };
}

