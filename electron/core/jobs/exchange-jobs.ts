import { importIdentities } from '../bundle/import-identities';
import { mergeBundle } from '../bundle/merge';
import { runExport } from '../exchange/run-export';
import type { JobHandler } from './context';

export const exportJob: JobHandler<'export'> = (ctx) => runExport(ctx.catalog, ctx.params.kind, ctx.params.out, ctx.params.options ?? {}, ctx);

export const mergeJob: JobHandler<'merge'> = async (ctx) => {
  const result = await mergeBundle(ctx.catalog, ctx.params.bundle, ctx, ctx.jobId);
  ctx.changed('*');
  return result;
};

export const identitiesImportJob: JobHandler<'identities-import'> = async (ctx) => {
  ctx.progress(0, null, 'reading identities');
  const result = await importIdentities(ctx.catalog, ctx.params.file, ctx.params.format, ctx.jobId);
  ctx.changed('*');
  return result;
};
