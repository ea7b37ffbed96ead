import type { Command } from '../command';
import { numberOption } from '../command';
import { openBackend } from '../open-backend';
import type { Estimate, ModelEstimate } from '../../contract';
import type { TrainJobResult } from '../../contract';
import { UserError } from '../../core/util/errors';
import { progressLines } from '../progress';
import { assertNoneActive } from '../../core/jobs/exclusive';
import { checkJobArgs } from '../check-args';

const brief = (m: TrainJobResult['before']) => ({
  unseen: { rank1: m.unseen.rank1, map5: m.unseen.map5 },
  resight: { rank1: m.resight.rank1, map5: m.resight.map5 },
});

export const train: Command = {
  name: 'train',
  summary: 'Fine-tune the embedding on confirmed identities (divide-and-conquer metric learning); estimates what it buys by cross-validation over individuals first.',
  usage: 'train [--learners K] [--epochs N] [--dim D] [--seed S] [--start random|pretrained] [--folds K] [--budget SECONDS] [--activate auto|never|always] [--catalog FILE] [--json]',
  options: {
    learners: { type: 'string', description: 'learners K: embedding slices trained on their own clusters (1 = plain margin loss; default 2)', valueName: 'K' },
    epochs: { type: 'string', description: 'epochs (default 100; 200 with --start random)', valueName: 'N' },
    dim: { type: 'string', description: 'embedding size of a random-start head, divisible by K (default 128; giving it implies --start random)', valueName: 'D' },
    seed: { type: 'string', description: 'random seed: same seed, same model (default 1)', valueName: 'S' },
    activate: { type: 'string', description: "auto (default: only when the estimate's 95% interval says it helps), never, always", valueName: 'WHEN' },
    folds: { type: 'string', description: 'cross-validation folds over individuals (default 5; fewer if the time budget runs out)', valueName: 'K' },
    budget: { type: 'string', description: 'time budget of the whole run in seconds (default 1200): no fold starts that would not fit', valueName: 'SECONDS' },
    start: { type: 'string', description: "pretrained (default): the head starts at the pretrained model's own embedding, as wide (lr 1e-4); random: a random 128-d projection (lr 1e-3)", valueName: 'FROM' },
    name: { type: 'string', description: 'a name for the new model', valueName: 'TEXT' },
  },
  async run(args, io) {
    const activate = (args.values.activate as string | undefined) ?? 'auto';
    if (!['auto', 'never', 'always'].includes(activate)) throw new UserError(`--activate must be auto, never or always, got '${activate}'`, 'usage');
    const params: Record<string, unknown> = { activate };
    for (const k of ['learners', 'epochs', 'dim', 'seed', 'folds']) if (args.values[k] !== undefined) params[k] = numberOption(args, k, 0);
    if (args.values.budget !== undefined) params.budgetSeconds = numberOption(args, 'budget', 1);
    if (args.values.name) params.name = args.values.name;
    if (args.values.start !== undefined) {
      if (!['random', 'pretrained'].includes(String(args.values.start))) throw new UserError(`--start must be random or pretrained, got '${String(args.values.start)}'`, 'usage');
      params.start = args.values.start;
    }
    const checked = checkJobArgs('train', params, 'train', { budgetSeconds: '--budget' });
    const backend = openBackend(args.catalog, io);
    try {
      // The same refusal as the app's: a training run already queued or running (here or in the app).
      assertNoneActive(backend.jobs, 'train', 'training');
      // A run killed or crashed part-way resumes from its checkpoint when the same command runs again.
      const same = JSON.stringify(checked); // what start() stores: the parsed params, in the schema's key order
      const resume = backend.jobs.interruptedLike('train', (p) => JSON.stringify(p) === same);
      if (resume !== null) io.err(`resuming interrupted training (job ${resume})`);
      const info = resume !== null ? backend.jobs.resume(resume) : backend.jobs.start('train', checked);
      // Epoch messages change every epoch: a line every few seconds, not one per epoch; where it resumed, always.
      const lines = progressLines(io, 'train', { stages: false });
      let said = '';
      const r = await backend.jobs.awaitResult(info.id, 'train', (j) => {
        if (j.message?.startsWith('resuming at epoch') && j.message !== said) io.err((said = j.message));
        else lines(j);
      });
      const e = r.estimate;
      return {
        model: r.model,
        before: brief(r.before),
        after: brief(r.after),
        seconds: Math.round(r.seconds * 10) / 10,
        activated: r.activated,
        recommended: e.recommend,
        reason: e.reason,
        active: r.active ? { id: r.active.id, ...brief(r.active.metrics) } : null,
        estimate: { folds: e.folds, foldsPlanned: e.foldsPlanned, reference: { id: e.reference.id, source: e.reference.source }, pretrained: e.pretrained, candidate: e.candidate, gain: e.gain, gainOverPretrained: e.gainOverPretrained },
      };
    } finally {
      await backend.close();
    }
  },
  human: (r) => {
    const e = r.estimate as { folds: number; foldsPlanned: number; pretrained: ModelEstimate; candidate: ModelEstimate; gainOverPretrained: ModelEstimate };
    const iv = (x: Estimate) => `${x.value.toFixed(3)} [${x.lo.toFixed(3)}, ${x.hi.toFixed(3)}]`;
    const line = (label: string, p: 'unseen' | 'resight') =>
      `${label} rank-1 ${iv(e.pretrained[p].rank1)} -> ${iv(e.candidate[p].rank1)}   MAP@5 ${e.pretrained[p].map5.value.toFixed(3)} -> ${e.candidate[p].map5.value.toFixed(3)}   (${e.candidate[p].queries} queries)`;
    return [
      `model        ${r.model}${r.activated ? ' (activated)' : ' (kept, not activated)'}`,
      `estimate     ${e.folds}-fold cross-validation over your confirmed individuals (of ${e.foldsPlanned} planned), pretrained -> new, 95% intervals:`,
      line('unseen      ', 'unseen'),
      line('re-sighting ', 'resight'),
      `recommended  ${r.recommended ? 'yes' : 'no'}: ${r.reason}`,
      `time         ${r.seconds} s`,
    ].join('\n');
  },
};
