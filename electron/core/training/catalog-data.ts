import type { Catalog } from '../store/catalog';
import { flipAverageParts } from '../vision/flip';
import { MIRROR_VIEW, TEST_VIEW_BASE } from '../vision/views';
import { UserError } from '../util/errors';
import type { FeatureSet } from './dataset';

import type { TrainingFeatureRow as Row } from '../store/embeddings';

/** The backbone whose stored features training and re-embedding use (one rule for every caller). */

/** Chronological key of a sighting: capture time when known, else the number in its code, else its id. */
function orderOf(r: Row): number {
  const t = r.when_utc ? Date.parse(r.when_utc) : NaN;
  if (Number.isFinite(t)) return t;
  const digits = r.code?.match(/\d+/g);
  if (digits) return Number(digits.join(''));
  return r.encounter_id ?? r.annotation_id;
}

/**
 * Every confirmed annotation (assigned to an individual, merges followed) that has stored features
 * for `backboneId`, with all its training views (not the test views of views.ts): the data a training run sees.
 */
export function loadFeatureSet(catalog: Catalog, backboneId: string): FeatureSet {
  const rows = catalog.store.embeddings.trainingFeatures(backboneId, TEST_VIEW_BASE);
  if (!rows.length) throw new UserError(`no confirmed annotation has features for backbone '${backboneId}': confirm identities and embed first`, 'no-data');
  const dimIn = rows[0].dim;
  const ids: number[] = [];
  for (const r of rows) {
    if (r.dim !== dimIn) throw new UserError(`features of annotation ${r.annotation_id} have ${r.dim} dimensions, expected ${dimIn}`, 'bad-data');
    if (!ids.length || ids[ids.length - 1] !== r.annotation_id) ids.push(r.annotation_id);
  }
  const n = ids.length;
  const flipParts = flipAverageParts(catalog);
  const set: FeatureSet = {
    dimIn,
    features: new Float32Array(rows.length * dimIn),
    viewStart: new Int32Array(n),
    viewCount: new Int32Array(n),
    ids: Int32Array.from(ids),
    label: new Int32Array(n),
    side: new Int32Array(n),
    group: new Int32Array(n),
    order: new Float64Array(n),
    mirror: new Uint8Array(n),
  };
  const sides = new Map<string, number>([
    ['left', 0],
    ['right', 1],
  ]);
  let s = -1;
  rows.forEach((r, i) => {
    new Uint8Array(set.features.buffer, i * dimIn * 4, dimIn * 4).set(r.vector);
    if (s < 0 || set.ids[s] !== r.annotation_id) {
      s++;
      set.viewStart[s] = i;
      set.label[s] = r.individual_id;
      if (r.side && !sides.has(r.side)) sides.set(r.side, sides.size);
      set.side[s] = r.side ? sides.get(r.side)! : -1;
      set.group[s] = r.encounter_id ?? -r.annotation_id;
      set.order[s] = orderOf(r);
    }
    set.viewCount[s]++;
    if (r.view === MIRROR_VIEW && flipParts.has(r.body_part)) set.mirror[s] = 1;
  });
  return set;
}
