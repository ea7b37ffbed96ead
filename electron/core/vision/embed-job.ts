import type { JobHandler } from '../jobs/context';
import { embedCatalog } from './embed';
import { parseDevice } from './providers';


/** Job kind 'embed': the catalog's missing features and embeddings, cancellable, resumable (work is committed per batch). */
export const embedJob: JobHandler<'embed'> = async (ctx) => {
  const p = ctx.params ?? {};
  let done = 0;
  let total: number | null = null;
  const result = await embedCatalog(ctx.catalog, {
    device: p.device === undefined ? undefined : parseDevice(p.device),
    views: p.views,
    batchSize: p.batchSize,
    modelsDir: p.modelsDir,
    backbone: p.backbone,
    signal: ctx.signal,
    progress: (d, t, message) => {
      done = d;
      total = t ?? total;
      ctx.progress(d, t, message);
    },
    warn: (m) => ctx.progress(done, total, m),
  });
  ctx.throwIfCancelled();
  if (result.embedded > 0) ctx.changed('embedding', 'match', 'catalog');
  return result;
};
