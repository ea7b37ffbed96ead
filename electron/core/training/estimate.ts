import type { ModelEstimate, TrainingEstimate } from '../../contract';
import type { FeatureSet } from './dataset';
import { foldsOf, foldSplit } from './folds';
import { bootstrapOverIndividuals, type ProtocolOutcomes } from './interval';
import type { RunResult } from './run-training';
import { outcomes } from './validate';

export type ReferenceSource = TrainingEstimate['reference']['source'];

/** Every query's outcome of one model, pooled over folds in fold order. */
function pooled(tasks: RunResult['outcomes'], recipe: number): ProtocolOutcomes {
  const mine = tasks.filter((t) => t.recipe === recipe).sort((a, b) => a.fold - b.fold);
  return { unseen: mine.flatMap((t) => t.unseen), resight: mine.flatMap((t) => t.resight) };
}

/** The pretrained model's outcomes on the folds the run validated, same queries, same order. */
export function pretrainedOutcomes(set: FeatureSet, result: RunResult, emb: { emb: Float32Array; dim: number }): ProtocolOutcomes {
  const folds = foldsOf(set, result.foldsPlanned);
  const out: ProtocolOutcomes = { unseen: [], resight: [] };
  for (let f = 0; f < result.folds; f++) {
    const split = foldSplit(set, folds, f);
    out.unseen.push(...outcomes(set, emb.emb, emb.dim, split.unseen));
    out.resight.push(...outcomes(set, emb.emb, emb.dim, split.resight));
  }
  return out;
}

const above = (e: { lo: number }) => e.lo > 0;
const hurts = (g: ModelEstimate) => g.unseen.rank1.hi < 0 || g.resight.rank1.hi < 0;

/**
 * The cross-validated estimate and the recommendation: activate only when the 95% interval of the
 * gain (mean rank-1 of the two protocols, paired over the same queries) lies above zero over the
 * model it would replace, and neither protocol is made significantly worse. The reference is the
 * active model like with like: its recipe retrained on the same folds; the same recipe as the new
 * one (the new model has only seen more confirmed photos) is judged by its gain over pretrained; a
 * model without a recipe by its own stored estimate, which is not paired.
 */
export function crossValidatedEstimate(
  result: RunResult,
  pretrained: ProtocolOutcomes,
  reference: { id: string; source: ReferenceSource; stored?: ModelEstimate | null },
): TrainingEstimate {
  const models = [pretrained, pooled(result.outcomes, 0)];
  if (reference.source === 'retrained') models.push(pooled(result.outcomes, 1));
  const boot = bootstrapOverIndividuals(models);
  const candidate = boot.estimate(1);
  const gainOverPretrained = boot.diff(0, 1);
  const refIndex = reference.source === 'pretrained' ? 0 : reference.source === 'retrained' ? 2 : reference.source === 'same-recipe' ? 1 : -1;
  const refEstimate = refIndex >= 0 ? boot.estimate(refIndex) : (reference.stored ?? null);
  const gain = refIndex >= 0 ? boot.diff(refIndex, 1) : null;
  const f3 = (x: number) => x.toFixed(3);
  const span = (g: ModelEstimate) => `${g.score.value >= 0 ? '+' : ''}${f3(g.score.value)} [${f3(g.score.lo)}, ${f3(g.score.hi)}]`;
  let recommend: boolean;
  let reason: string;
  if (hurts(gainOverPretrained)) {
    recommend = false;
    reason = `it ranks worse than the pretrained model on one protocol (unseen ${f3(gainOverPretrained.unseen.rank1.value)}, later sightings ${f3(gainOverPretrained.resight.rank1.value)})`;
  } else if (reference.source === 'pretrained' || reference.source === 'same-recipe') {
    recommend = above(gainOverPretrained.score);
    reason = `rank-1 gain over the pretrained model ${span(gainOverPretrained)}${reference.source === 'same-recipe' ? ' (same recipe as the active model, trained on the photos confirmed since)' : ''}: ${recommend ? 'the interval lies above zero' : 'the interval includes zero'}`;
  } else if (reference.source === 'retrained') {
    recommend = above(gain!.score);
    reason = `rank-1 gain over the active model's recipe retrained on the same folds ${span(gain!)}: ${recommend ? 'the interval lies above zero' : 'the interval includes zero'}`;
  } else {
    recommend = above(gainOverPretrained.score) && (!refEstimate || candidate.score.value >= refEstimate.score.value);
    reason = `the active model has no recipe to retrain; compared with its own held-out estimate (other folds, not paired) and with the pretrained model ${span(gainOverPretrained)}`;
  }
  return {
    folds: result.folds,
    foldsPlanned: result.foldsPlanned,
    pretrained: boot.estimate(0),
    candidate,
    reference: { id: reference.id, source: reference.source, estimate: refEstimate },
    gain,
    gainOverPretrained,
    recommend,
    reason,
  };
}
