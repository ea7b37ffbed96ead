import fs from 'node:fs';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { photoFile } from '../media/media';
import { BoxProposer } from './box-proposer';
import type { ProposedBox } from './cam-box';
import { DEFAULT_BACKBONE, findManifest, type ModelManifest } from './manifest';
import { activeModel, backboneOf, manifestOf } from './models-table';

/**
 * A box covering this share of the frame or more is not offered: the photo is already a crop
 * (nyala-dev), and a box barely smaller than the frame only loses context (bench/README.md).
 */
export const DEFAULT_MAX_AREA = 0.6;

/** Whether a proposal is worth offering on a `width` x `height` frame: clearly smaller than it, and standing out. */
export function proposalWanted(box: ProposedBox, width: number, height: number, maxArea = DEFAULT_MAX_AREA): boolean {
  return box.score > 0 && box.w * box.h < maxArea * width * height;
}

export interface ProposeResult {
  /** Annotations whose whole-frame box was replaced by a proposed one. */
  proposed: number;
  /** Frames looked at where nothing clearly smaller than the frame stood out. */
  declined: number;
  /** Why no proposal could be made at all (no proposer in the manifest, weights not found), or null. */
  unavailable: string | null;
}

/** The active backbone's manifest as installed (a catalog made before proposals stored one without them). */
function proposerManifest(catalog: Catalog, modelsDir?: string): ModelManifest {
  const current = activeModel(catalog);
  const id = current ? backboneOf(catalog, current) : DEFAULT_BACKBONE;
  const stored = current ? manifestOf(catalog, id, modelsDir) : null;
  if (stored?.proposer) return stored;
  try {
    return findManifest(id, modelsDir);
  } catch {
    return stored ?? findManifest(id, modelsDir);
  }
}

type Candidate = { id: number; x: number; y: number; w: number; h: number; width: number; height: number; path: string; copied: number };

/**
 * Replaces the whole-frame annotation of photos that have nothing else with a box around the
 * animal (source 'proposed'), when the `proposeBoxes` setting is on. Only unidentified 'frame'
 * annotations are touched (an identity a person gave to the whole photo keeps that crop), and
 * each is re-checked inside its write, so a box a person drew or accepted meanwhile is never replaced. Each frame is looked at once (proposal_score records it), so a
 * resumed import carries on where it stopped.
 */
export async function proposeAnnotationBoxes(catalog: Catalog, opts: { importId?: number; modelsDir?: string; signal?: AbortSignal } = {}): Promise<ProposeResult> {
  const result: ProposeResult = { proposed: 0, declined: 0, unavailable: null };
  if (!getSetting(catalog, 'proposeBoxes')) return result;
  const db = catalog.db;
  const todo = db
    .prepare(
      `SELECT a.id, a.x, a.y, a.w, a.h, p.width, p.height, p.path, p.copied FROM annotations a JOIN photos p ON p.id = a.photo_id
       WHERE a.source = 'frame' AND a.proposal_score IS NULL AND a.individual_id IS NULL AND p.missing = 0 AND (? IS NULL OR p.import_id = ?)
         AND NOT EXISTS (SELECT 1 FROM annotations o WHERE o.photo_id = a.photo_id AND o.id != a.id)
       ORDER BY p.id`,
    )
    .all(opts.importId ?? null, opts.importId ?? null) as Candidate[];
  if (!todo.length) return result;
  let proposer: BoxProposer;
  try {
    const manifest = proposerManifest(catalog, opts.modelsDir);
    if (!manifest.proposer) return { ...result, unavailable: `model '${manifest.id}' has no proposer in its manifest` };
    proposer = await BoxProposer.open(manifest, { modelsDir: opts.modelsDir });
  } catch (e) {
    return { ...result, unavailable: (e as Error).message };
  }
  const place = db.prepare(
    `UPDATE annotations SET x = @x, y = @y, w = @w, h = @h, source = 'proposed', proposal_score = @score
     WHERE id = @id AND source = 'frame' AND individual_id IS NULL AND x = @x0 AND y = @y0 AND w = @w0 AND h = @h0`,
  );
  const decline = db.prepare("UPDATE annotations SET proposal_score = ? WHERE id = ? AND source = 'frame'");
  try {
    for (const c of todo) {
      if (opts.signal?.aborted) break;
      const file = photoFile(catalog, c);
      let box: ProposedBox | null = null;
      if (fs.existsSync(file)) {
        try {
          box = await proposer.propose(file);
        } catch {
          box = null; // an unreadable photo keeps its whole frame; the import reports the file itself
        }
      }
      if (box && proposalWanted(box, c.width, c.height)) {
        const r = place.run({ id: c.id, x: box.x, y: box.y, w: box.w, h: box.h, score: box.score, x0: c.x, y0: c.y, w0: c.w, h0: c.h });
        if (r.changes) result.proposed++;
      } else {
        decline.run(box?.score ?? 0, c.id);
        result.declined++;
      }
    }
  } finally {
    await proposer.release();
  }
  return result;
}
