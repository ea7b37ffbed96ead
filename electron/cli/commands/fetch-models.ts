import type { Command } from '../command';
import { fetchModels, type FetchResult } from '../../core/vision/fetch-models';

export const fetchModelsCommand: Command = {
  name: 'fetch-models',
  summary: 'Download model weights named by the manifests (sha256-verified), or say where to put them.',
  usage: 'fetch-models [ID...] [--models DIR] [--json]',
  options: {
    models: { type: 'string', description: 'folder to look in and download into (default: your model folder)', valueName: 'DIR' },
  },
  async run(args) {
    return fetchModels({ modelsDir: args.values.models as string | undefined, ids: args.positionals });
  },
  human: (rs: FetchResult[]) => rs.map((r) => `${r.id.padEnd(24)} ${r.status.padEnd(11)} ${r.file}`).join('\n'),
};
