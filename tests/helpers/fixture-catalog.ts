import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Catalog } from '../../electron/core/store/catalog';

/** A real small JPEG whose colour (and so sha256) depends on `seed`. */
export async function makeJpeg(seed: number, width = 64, height = 48): Promise<Buffer> {
  const c = (k: number) => (seed * k * 37) % 256;
  return sharp({ create: { width, height, channels: 3, background: { r: c(3), g: c(5), b: c(7) } } })
    .composite([{ input: Buffer.from(`<svg width="${width}" height="${height}"><text x="2" y="20" font-size="14">${seed}</text></svg>`), top: 0, left: 0 }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

export interface FixtureAnnotation {
  box?: [number, number, number, number];
  code?: string;
  createdAt?: string;
  side?: string;
  /** review decisions logged for it (confirm with model/score by default when identified) */
  decisions?: Array<{ decision: string; code?: string; undone?: boolean; at?: string }>;
}

export interface FixturePhoto {
  seed: number;
  name?: string;
  takenAt?: string | null;
  lat?: number | null;
  lon?: number | null;
  encounter?: string;
  /** copied into the catalog's media folder (default), or referenced where it lies */
  copied?: boolean;
  annotations?: FixtureAnnotation[];
}

export interface FixtureSpec {
  settings?: Record<string, unknown>;
  individuals?: Array<{ code: string; name?: string; sex?: string; createdAt?: string; notes?: string }>;
  encounters?: Array<{ code: string; start?: string; lat?: number; lon?: number; location?: string; observer?: string }>;
  photos?: FixturePhoto[];
  models?: boolean;
  /** when this catalog's review decisions were made (default 2026-01-11T08:00) */
  decisionAt?: string;
}

export const T0 = '2026-01-10T09:00:00.000Z';

/**
 * Builds a catalog by inserting rows directly (the import issue lands separately), with real
 * JPEG files, real models rows with weights, embeddings, features and a decision log.
 */
export async function buildCatalog(file: string, spec: FixtureSpec): Promise<Catalog> {
  const c = Catalog.open(file);
  const db = c.db;
  for (const [k, v] of Object.entries(spec.settings ?? {})) c.store.settings.set(k, v);
  if (spec.models !== false) {
    db.prepare("INSERT INTO models (id, name, kind, manifest, created_at) VALUES ('mnv2', 'MobileNetV2', 'pretrained', '{\"input\":224}', ?)").run(T0);
    db.prepare(
      "INSERT INTO models (id, name, kind, parent_id, manifest, weights, params, metrics, created_at, active) VALUES ('ft-1', 'fine-tuned 1', 'fine-tuned', 'mnv2', '{}', ?, '{\"head\":{\"kind\":\"linear\"}}', '{\"top1\":0.8}', ?, 1)",
    ).run(Buffer.from(new Float32Array([1, 2, 3, 4]).buffer), T0);
  }
  const ind = new Map<string, number>();
  for (const i of spec.individuals ?? []) {
    const r = db.prepare('INSERT INTO individuals (code, name, sex, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(i.code, i.name ?? null, i.sex ?? null, i.notes ?? null, i.createdAt ?? T0, i.createdAt ?? T0);
    ind.set(i.code, Number(r.lastInsertRowid));
  }
  const enc = new Map<string, number>();
  for (const e of spec.encounters ?? []) {
    const r = db.prepare('INSERT INTO encounters (code, start_time, latitude, longitude, location, observer) VALUES (?, ?, ?, ?, ?, ?)').run(e.code, e.start ?? null, e.lat ?? null, e.lon ?? null, e.location ?? null, e.observer ?? null);
    enc.set(e.code, Number(r.lastInsertRowid));
  }
  const external = path.join(path.dirname(file), `${path.basename(file)}.originals`);
  let n = 0;
  for (const p of spec.photos ?? []) {
    const jpeg = await makeJpeg(p.seed);
    const sha = crypto.createHash('sha256').update(jpeg).digest('hex');
    const name = p.name ?? `IMG_${String(p.seed).padStart(4, '0')}.JPG`;
    let stored: string;
    if (p.copied === false) {
      fs.mkdirSync(external, { recursive: true });
      stored = path.join(external, name);
      fs.writeFileSync(stored, jpeg);
    } else {
      stored = `media/${sha.slice(0, 2)}/${sha}.jpg`;
      fs.mkdirSync(path.join(c.filesDir, path.dirname(stored)), { recursive: true });
      fs.writeFileSync(path.join(c.filesDir, stored), jpeg);
    }
    const takenAt = p.takenAt === undefined ? '2026-01-10T10:15:30+02:00' : p.takenAt;
    const photo = Number(
      db
        .prepare('INSERT INTO photos (sha256, path, original_name, file_size, width, height, taken_at, taken_at_utc, latitude, longitude, camera_make, encounter_id, copied, created_at) VALUES (?, ?, ?, ?, 64, 48, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(sha, stored, name, jpeg.length, takenAt, takenAt ? new Date(takenAt).toISOString() : null, p.lat ?? null, p.lon ?? null, 'Canon', p.encounter ? enc.get(p.encounter) : null, p.copied === false ? 0 : 1, T0).lastInsertRowid,
    );
    for (const a of p.annotations ?? [{}]) {
      const [x, y, w, h] = a.box ?? [4, 4, 40, 30];
      const individual = a.code ? ind.get(a.code) ?? null : null;
      const created = a.createdAt ?? `2026-01-10T09:${String(n % 60).padStart(2, '0')}:00.${String(n).padStart(3, '0')}Z`;
      n++;
      const ann = Number(
        db
          .prepare('INSERT INTO annotations (photo_id, x, y, w, h, body_part, side, quality, individual_id, identified_by, identified_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 4, ?, ?, ?, ?)')
          .run(photo, x, y, w, h, 'fluke', a.side ?? 'ventral', individual, individual ? 'ana' : null, individual ? '2026-01-11T08:00:00.000Z' : null, created).lastInsertRowid,
      );
      if (spec.models !== false) {
        const v = new Float32Array([Math.cos(p.seed), Math.sin(p.seed), 0.5]);
        db.prepare("INSERT INTO embeddings (annotation_id, model_id, dim, vector, created_at) VALUES (?, 'ft-1', 3, ?, ?)").run(ann, Buffer.from(v.buffer), T0);
        db.prepare("INSERT INTO features (annotation_id, backbone_id, view, dim, vector) VALUES (?, 'mnv2', 0, 3, ?)").run(ann, Buffer.from(v.buffer));
      }
      const decisions = a.decisions ?? (a.code ? [{ decision: 'confirm', code: a.code }] : []);
      for (const d of decisions) {
        db.prepare("INSERT INTO decisions (annotation_id, individual_id, decision, reviewer, model_id, rank, score, details, created_at, undone_at) VALUES (?, ?, ?, 'ana', 'ft-1', 1, 0.91, '{}', ?, ?)").run(
          ann,
          d.code ? ind.get(d.code) : null,
          d.decision,
          d.at ?? spec.decisionAt ?? '2026-01-11T08:00:00.000Z',
          d.undone ? '2026-01-11T09:00:00.000Z' : null,
        );
      }
    }
  }
  return c;
}

/** Row counts and the file's hash: what "untouched" means for a catalog. */
export function catalogFingerprint(file: string): { sha256: string; counts: Record<string, number>; files: string[] } {
  const c = Catalog.open(file, { mustExist: true });
  const counts: Record<string, number> = {};
  for (const t of ['individuals', 'encounters', 'photos', 'annotations', 'decisions', 'models', 'embeddings', 'features', 'merges', 'merge_conflicts', 'settings']) {
    counts[t] = c.db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
  }
  const filesDir = c.filesDir;
  c.close();
  const walk = (d: string): string[] => (fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)])) : []);
  return { sha256: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'), counts, files: walk(filesDir).sort() };
}
