import type { ExportKind, ExportOptions } from '../../contract';
import type { Backend } from '../api/backend';
import { importIdentities } from '../bundle/import-identities';
import { mergeBundle } from '../bundle/merge';
import { runExport } from '../export/run-export';
import type { JobHandler } from './runner';

export const exportJob =
  (b: Backend): JobHandler<{ kind: ExportKind; out: string; options?: ExportOptions }> =>
  (ctx) =>
    runExport(b.catalog, ctx.params.kind, ctx.params.out, ctx.params.options ?? {}, ctx);

export const mergeJob =
  (b: Backend): JobHandler<{ bundle: string }> =>
  async (ctx) => {
    const result = await mergeBundle(b.catalog, ctx.params.bundle, ctx, ctx.jobId);
    b.emit('catalog.changed', { topics: ['*'] });
    return result;
  };

export const identitiesImportJob =
  (b: Backend): JobHandler<{ file: string; format: 'sightings' | 'wildbook' }> =>
  async (ctx) => {
    ctx.progress(0, null, 'reading identities');
    const result = await importIdentities(b.catalog, ctx.params.file, ctx.params.format, ctx.jobId);
    b.emit('catalog.changed', { topics: ['*'] });
    return result;
  };
