import path from 'node:path';
import type { DemoParams, DemoResult, JobInfo } from '../../contract';
import type { Command } from '../command';
import { numberOption } from '../command';
import { openBackend } from '../open-backend';
import { userDataDir } from '../../core/util/paths';
import { checkJobArgs } from '../check-args';

export const demo: Command = {
  name: 'demo',
  summary: 'Run the whole loop on sample data: import, embed, match, review, fine-tune, match again; prints before/after metrics.',
  usage: 'demo [--dataset DIR] [--catalog FILE] [--individuals N] [--photos M] [--seed S] [--epochs E] [--learners K] [--json]',
  options: {
    dataset: { type: 'string', description: 'a labelled folder (labels.csv: image,individual[,side][,sighting]); default: generated humpback flukes', valueName: 'DIR' },
    individuals: { type: 'string', description: 'generated set: number of whales (default 60)', valueName: 'N' },
    photos: { type: 'string', description: 'generated set: number of photos (default 600)', valueName: 'M' },
    seed: { type: 'string', description: 'seed for the generated set and the split (default 1)', valueName: 'S' },
    epochs: { type: 'string', description: 'fine-tuning epochs (default: the training default)', valueName: 'E' },
    learners: { type: 'string', description: 'divide-and-conquer learners (default: the training default)', valueName: 'K' },
  },
  async run(args, io) {
    // Never the user's own catalog by default: a new demo catalog each run.
    const file = args.values.catalog ? path.resolve(String(args.values.catalog)) : path.join(userDataDir(), 'demo', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`);
    const params: DemoParams = {};
    if (args.values.dataset) params.dataset = path.resolve(String(args.values.dataset));
    for (const k of ['individuals', 'photos', 'seed', 'epochs', 'learners'] as const) {
      if (args.values[k] !== undefined) params[k] = numberOption(args, k, 0);
    }
    checkJobArgs('demo', params, 'demo');
    const backend = openBackend(file, io);
    const stop = () => backend.jobs.shutdown();
    process.once('SIGINT', stop);
    let lastStage = '';
    let lastAt = 0;
    // A demo cut short (the laptop slept, the terminal closed) carries on where it stopped when the
    // same command is run again on its catalog.
    const interrupted = backend.jobs.interrupted('demo').at(-1);
    if (interrupted) io.err(`Resuming the interrupted demo in ${file} (job ${interrupted.id}).`);
    try {
      const onUpdate = (info: JobInfo) => {
        // A line per stage and at most one a second within it.
        const stage = (info.message ?? info.state).split(':')[0];
        if (args.json || (stage === lastStage && Date.now() - lastAt < 1000)) return;
        lastStage = stage;
        lastAt = Date.now();
        io.err(`  ${String(Math.round(info.progress / 10)).padStart(3)}%  ${info.message ?? info.state}`);
      };
      if (interrupted) return await backend.jobs.awaitResult(backend.jobs.resume(interrupted.id).id, 'demo', onUpdate);
      return await backend.jobs.run('demo', params, onUpdate);
    } finally {
      process.off('SIGINT', stop);
      await backend.close();
    }
  },
  human: (r: DemoResult) => {
    const m = (x: DemoResult['before']) => `rank-1 ${x.rank1.toFixed(3)}  MAP@5 ${x.map5.toFixed(3)}  top-5 ${x.top5.toFixed(3)}  (${x.queries} queries, model ${x.model})`;
    return [
      `${r.synthetic ? 'Synthetic flukes (for demonstration only: not evidence of accuracy on real whales)' : 'Dataset'}: ${r.dataset}`,
      `${r.photos} photos of ${r.individuals} individuals: ${r.split.catalog} identified at import, ${r.split.review} reviewed automatically, ${r.split.holdout} latest left to review (${r.split.newcomers} newcomers)`,
      `review: ${r.review.confirmed} confirmed (${r.review.rank1} at rank 1, ${r.review.top5} in the top 5), ${r.review.created} new individuals`,
      `before fine-tuning  ${m(r.before)}`,
      `after fine-tuning   ${m(r.after)}`,
      r.improved ? 'Fine-tuning improved matching of the latest sightings.' : 'Fine-tuning did NOT improve matching here.',
      `timings (s): ${Object.entries(r.timings).map(([k, v]) => `${k} ${v}`).join(', ')}; total ${r.seconds}`,
      `catalog: ${r.catalog}`,
      `open it: ${r.open}`,
    ].join('\n');
  },
};
