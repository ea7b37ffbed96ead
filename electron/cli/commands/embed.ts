import type { Command } from '../command';
import { numberOption } from '../command';
import { openBackend } from '../open-backend';
import { parseDevice } from '../../core/vision/providers';
import { closeExtractors } from '../../core/vision/extractor-cache';
import type { EmbedResult } from '../../core/vision/embed';
import { progressLines } from '../progress';
import { checkJobArgs } from '../check-args';

export const embed: Command = {
  name: 'embed',
  summary: 'Compute embeddings for every annotation that lacks one for the active model.',
  usage: 'embed [--catalog FILE] [--device auto|cpu|gpu|cuda|dml|coreml|webgpu] [--backbone ID] [--models DIR] [--views N] [--json]',
  options: {
    device: { type: 'string', description: "execution provider: auto, cpu, gpu, cuda, dml, coreml, webgpu (default: the catalog's 'device' setting)", valueName: 'D' },
    backbone: { type: 'string', description: "backbone manifest id (default: the active model's; see models/README.md)", valueName: 'ID' },
    models: { type: 'string', description: 'folder searched first for model files (also CAUDAL_MODELS_DIR)', valueName: 'DIR' },
    views: { type: 'string', description: 'backbone feature views stored per annotation for training (default 4: crop, mirror, 2 augmented)', valueName: 'N' },
    'batch-size': { type: 'string', description: 'annotations per inference batch (default 2: small batches stay in the CPU cache)', valueName: 'N' },
  },
  async run(args, io) {
    const params = checkJobArgs(
      'embed',
      {
        device: args.values.device === undefined ? undefined : parseDevice(args.values.device),
        modelsDir: args.values.models as string | undefined,
        backbone: args.values.backbone as string | undefined,
        views: args.values.views === undefined ? undefined : numberOption(args, 'views', 4),
        batchSize: args.values['batch-size'] === undefined ? undefined : numberOption(args, 'batch-size', 2),
      },
      'embed',
      { modelsDir: '--models' },
    );
    const backend = openBackend(args.catalog, io);
    try {
      // Counts every few seconds and each warning as it happens, on stderr: piped or not, a long embed shows life.
      const result = await backend.jobs.run('embed', params, progressLines(io, 'embed'));
      return result;
    } finally {
      await closeExtractors();
      await backend.close();
    }
  },
  human: (r: EmbedResult) =>
    `embedded ${r.embedded} annotations with model ${r.model} on ${r.executionProvider} in ${r.seconds} s` + (r.failed ? ` (${r.failed} could not be read)` : ''),
};
