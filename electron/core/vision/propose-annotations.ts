import fs from 'node:fs';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { photoFile } from '../media/media';
import { BoxProposer } from './box-proposer';
import type { ProposedBox } from './cam-box';
import { DEFAULT_BACKBONE, findManifest, type ModelManifest } from './manifest';
import { backboneOf, manifestOf } from './models-table';

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
  const current = catalog.store.models.active();
  const id = current ? backboneOf(catalog, current) : DEFAULT_BACKBONE;
  const stored = current ? manifestOf(catalog, id, modelsDir) : null;
  if (stored?.proposer) return stored;
  try {
    return findManifest(id, modelsDir);
  } catch {
    return stored ?? findManifest(id, modelsDir);
  }
}

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
  const annotations = catalog.store.annotations;
  const todo = annotations.proposalCandidates(opts.importId);
  if (!todo.length) return result;
  let proposer: BoxProposer;
  try {
    const manifest = proposerManifest(catalog, opts.modelsDir);
    if (!manifest.proposer) return { ...result, unavailable: `model '${manifest.id}' has no proposer in its manifest` };
    proposer = await BoxProposer.open(manifest, { modelsDir: opts.modelsDir });
  } catch (e) {
    return { ...result, unavailable: (e as Error).message };
  }
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
        if (annotations.placeProposedBox(c, box)) result.proposed++;
      } else {
        annotations.declineProposal(c.id, box?.score ?? 0);
        result.declined++;
      }
    }
  } finally {
    await proposer.release();
  }
  return result;
}
