import type { Command } from '../command';
import { Catalog } from '../../core/store/catalog';
import { catalogSummary } from '../../core/catalog/summary';

export const info: Command = {
  name: 'info',
  summary: 'Show what a catalog holds (creates an empty catalog when the file does not exist).',
  usage: 'info [--catalog FILE] [--json]',
  async run(args) {
    const catalog = Catalog.open(args.catalog);
    try {
      const { file: _file, encounters: _e, ...summary } = catalogSummary(catalog);
      return summary;
    } finally {
      catalog.close();
    }
  },
  human: (s) =>
    [
      `schema version  ${s.schemaVersion}`,
      `individuals     ${s.individuals}`,
      `photos          ${s.photos}`,
      `annotations     ${s.annotations} (${s.identified} identified)`,
      `embeddings      ${s.embeddings}`,
      `active model    ${s.activeModel ?? '(none)'}`,
      `species         ${s.species || '(not set: caudal settings --species NAME)'}`,
      `body part       ${s.bodyPart || '(not set: caudal settings --body-part PART)'}`,
    ].join('\n'),
};
