import type { Command } from '../command';
import { evalDataset, type EvalReport } from '../../core/match/eval-dataset';
import { closeExtractors } from '../../core/vision/extractor-cache';
import { parseDevice } from '../../core/vision/providers';
import { UserError } from '../../core/util/errors';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Score a model on a labelled photo folder (labels.csv) with the evaluation protocol; your catalog is never changed.',
  usage: 'eval --dataset DIR [--model ID] [--catalog FILE] [--device D] [--models DIR] [--json]',
  options: {
    dataset: { type: 'string', description: 'folder with labels.csv (image,individual[,side][,sighting])', valueName: 'DIR' },
    model: { type: 'string', description: "model id (default: --catalog's active model, else the pretrained backbone)", valueName: 'ID' },
    device: { type: 'string', description: 'execution provider: auto, cpu, cuda, dml, coreml', valueName: 'D' },
    models: { type: 'string', description: 'folder searched first for model files', valueName: 'DIR' },
  },
  async run(args, io) {
    const dataset = args.values.dataset;
    if (typeof dataset !== 'string') throw new UserError('--dataset DIR is required', 'usage');
    const catalogGiven = args.values.catalog !== undefined;
    try {
      let shown = 0;
      return await evalDataset({
        dataset,
        model: args.values.model as string | undefined,
        // --catalog only supplies trained models; without it the pretrained backbone is used.
        catalog: catalogGiven ? args.catalog : undefined,
        device: args.values.device === undefined ? undefined : parseDevice(args.values.device),
        modelsDir: args.values.models as string | undefined,
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
  human: (r: EvalReport) =>
    `model ${r.model}: ${r.queries} queries, rank-1 ${r.rank1.toFixed(3)}, MAP@5 ${r.map5.toFixed(3)}, top-5 ${r.top5.toFixed(3)}`,
};
