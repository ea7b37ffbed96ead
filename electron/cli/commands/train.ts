import type { Command } from '../command';
import { numberOption } from '../command';
import { openBackend } from '../open-backend';
import type { TrainJobResult } from '../../core/training/train-job';
import { UserError } from '../../core/util/errors';

const brief = (m: TrainJobResult['before']) => ({
  unseen: { rank1: m.unseen.rank1, map5: m.unseen.map5 },
  resight: { rank1: m.resight.rank1, map5: m.resight.map5 },
});

export const train: Command = {
  name: 'train',
  summary: 'Fine-tune the embedding on confirmed identities (divide-and-conquer metric learning); validates on held-out data first.',
  usage: 'train [--learners K] [--epochs N] [--dim D] [--seed S] [--start random|pretrained] [--activate auto|never|always] [--catalog FILE] [--json]',
  options: {
    learners: { type: 'string', description: 'learners K: embedding slices trained on their own clusters (1 = plain margin loss; default 2)', valueName: 'K' },
    epochs: { type: 'string', description: 'epochs (default 100; 200 with --start random)', valueName: 'N' },
    dim: { type: 'string', description: 'embedding size of a random-start head, divisible by K (default 128; giving it implies --start random)', valueName: 'D' },
    seed: { type: 'string', description: 'random seed: same seed, same model (default 1)', valueName: 'S' },
    activate: { type: 'string', description: 'auto (default: only when not worse than the active model), never, always', valueName: 'WHEN' },
    start: { type: 'string', description: "pretrained (default): the head starts at the pretrained model's own embedding, as wide (lr 1e-4); random: a random 128-d projection (lr 1e-3)", valueName: 'FROM' },
    name: { type: 'string', description: 'a name for the new model', valueName: 'TEXT' },
  },
  async run(args, io) {
    const activate = (args.values.activate as string | undefined) ?? 'auto';
    if (!['auto', 'never', 'always'].includes(activate)) throw new UserError(`--activate must be auto, never or always, got '${activate}'`, 'usage');
    const params: Record<string, unknown> = { activate };
    for (const k of ['learners', 'epochs', 'dim', 'seed']) if (args.values[k] !== undefined) params[k] = numberOption(args, k, 0);
    if (args.values.name) params.name = args.values.name;
    if (args.values.start !== undefined) {
      if (!['random', 'pretrained'].includes(String(args.values.start))) throw new UserError(`--start must be random or pretrained, got '${String(args.values.start)}'`, 'usage');
      params.start = args.values.start;
    }
    const backend = openBackend(args.catalog, io);
    let last = -1;
    try {
      // A run killed or crashed part-way resumes from its checkpoint when the same command runs again.
      const same = JSON.stringify(params);
      const resume = backend.jobs.interruptedLike('train', (p) => JSON.stringify(p) === same);
      if (resume !== null) io.err(`resuming interrupted training (job ${resume})`);
      const info = resume !== null ? backend.jobs.resume(resume) : backend.jobs.start('train', params);
      const r = await backend.jobs.awaitResult<TrainJobResult>(info.id, (info) => {
        if (info.message?.startsWith('resuming at epoch') && info.progress !== last) {
          last = info.progress;
          io.err(info.message);
        } else if (!args.json && info.message && info.progress !== last && info.progress % 20 === 0) {
          last = info.progress;
          io.err(info.message);
        }
      });
      return { model: r.model, before: brief(r.before), after: brief(r.after), seconds: Math.round(r.seconds * 10) / 10, activated: r.activated, active: r.active ? { id: r.active.id, ...brief(r.active.metrics) } : null };
    } finally {
      await backend.close();
    }
  },
  human: (r) =>
    [
      `model        ${r.model}${r.activated ? ' (activated)' : ' (kept, not activated: not better than the active model)'}`,
      `unseen       rank-1 ${r.before.unseen.rank1.toFixed(3)} -> ${r.after.unseen.rank1.toFixed(3)}   MAP@5 ${r.before.unseen.map5.toFixed(3)} -> ${r.after.unseen.map5.toFixed(3)}`,
      `re-sighting  rank-1 ${r.before.resight.rank1.toFixed(3)} -> ${r.after.resight.rank1.toFixed(3)}   MAP@5 ${r.before.resight.map5.toFixed(3)} -> ${r.after.resight.map5.toFixed(3)}`,
      `time         ${r.seconds} s`,
    ].join('\n'),
};
