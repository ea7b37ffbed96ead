import type { Command } from '../command';
import { evalDataset, type EvalReport } from '../../core/match/eval-dataset';
import { closeExtractors } from '../../core/vision/extractor-cache';
import { parseDevice } from '../../core/vision/providers';
import { UserError } from '../../core/util/errors';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Score a model on a labelled photo folder (labels.csv) with the evaluation protocol; your catalog is never changed.',
  usage: 'eval --dataset DIR [--model ID] [--catalog FILE] [--open-set [--new-share 0.3] [--seeds 1,2,3]] [--device D] [--models DIR] [--json]',
  options: {
    dataset: { type: 'string', description: 'folder with labels.csv (image,individual[,side][,sighting])', valueName: 'DIR' },
    model: { type: 'string', description: "model id (default: --catalog's active model, else the pretrained backbone)", valueName: 'ID' },
    'open-set': { type: 'boolean', description: 'also MAP@5 with "new individual" as a label, a share of individuals left out as new' },
    'new-share': { type: 'string', description: 'with --open-set: share of individuals left out (default 0.3)', valueName: 'X' },
    seeds: { type: 'string', description: 'with --open-set: seeds of the left-out draws (default 1,2,3)', valueName: 'LIST' },
    device: { type: 'string', description: 'execution provider: auto, cpu, cuda, dml, coreml', valueName: 'D' },
    models: { type: 'string', description: 'folder searched first for model files', valueName: 'DIR' },
  },
  async run(args, io) {
    const dataset = args.values.dataset;
    if (typeof dataset !== 'string') throw new UserError('--dataset DIR is required', 'usage');
    const catalogGiven = args.values.catalog !== undefined;
    const openSet = args.values['open-set'] ? { newShare: parseShare(args.values['new-share']), seeds: parseSeeds(args.values.seeds) } : undefined;
    if (!openSet && (args.values['new-share'] !== undefined || args.values.seeds !== undefined)) throw new UserError('--new-share and --seeds go with --open-set', 'usage');
    try {
      let shown = 0;
      return await evalDataset({
        dataset,
        model: args.values.model as string | undefined,
        // --catalog only supplies trained models; without it the pretrained backbone is used.
        catalog: catalogGiven ? args.catalog : undefined,
        device: args.values.device === undefined ? undefined : parseDevice(args.values.device),
        modelsDir: args.values.models as string | undefined,
        openSet,
        progress: (done, total) => {
          if (!args.json && (done - shown >= 100 || done === total)) {
            shown = done;
            io.err(`embedded ${done}/${total}`);
          }
        },
      });
    } finally {
      await closeExtractors();
    }
  },
  human: (r: EvalReport) => {
    const closed = `model ${r.model}: ${r.queries} queries, rank-1 ${r.rank1.toFixed(3)}, MAP@5 ${r.map5.toFixed(3)}, top-5 ${r.top5.toFixed(3)}`;
    if (!r.openSet) return closed;
    const o = r.openSet;
    const lines = o.runs.map(
      (x) =>
        `  seed ${x.seed}: ${x.heldOut} individuals left out, ${x.queries} queries (${x.newQueries} new): MAP@5 ${x.map5.toFixed(3)} (known ${x.map5Known.toFixed(3)}, new ${x.map5New.toFixed(3)})${x.calibrated ? '' : ' [not calibrated: "new" at a constant rate]'}`,
    );
    return [`closed set: ${closed}`, `open set (new individual as a label, ${o.newShare} of individuals new): MAP@5 ${o.map5.toFixed(3)} over ${o.runs.length} seeds`, ...lines].join('\n');
  },
};

function parseShare(v: unknown): number {
  if (v === undefined) return 0.3;
  const x = Number(v);
  if (typeof v !== 'string' || !(x > 0 && x < 1)) throw new UserError(`--new-share must be a number between 0 and 1 (got ${String(v)})`, 'usage');
  return x;
}

function parseSeeds(v: unknown): number[] {
  if (v === undefined) return [1, 2, 3];
  const s = String(v).split(',').map((t) => Number(t.trim()));
  if (!s.length || s.some((x) => !Number.isInteger(x))) throw new UserError(`--seeds must be integers separated by commas (got ${String(v)})`, 'usage');
  return s;
}
