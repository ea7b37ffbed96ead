import type { CatalogTopic, ImportParams } from '../../contract';
import type { JobHandler } from '../jobs/context';
import type { JobRunner } from '../jobs/runner';
import { importPhotos } from './import';

/** `embedding`: the sidebar's "embedded x / y" counts the new annotations at once. */
const TOPICS: CatalogTopic[] = ['photos', 'annotations', 'encounters', 'individuals', 'import', 'embedding'];

/**
 * The `import` job: progress is files done / total with the current file as the message; the
 * import's id is the checkpoint, so a resumed job continues the same import (its photos count
 * once) and skips every photo already committed.
 */
export const importJob: JobHandler<'import'> = async (ctx) => {
    const previous = ctx.previousCheckpoint as { importId?: number } | undefined;
    let lastChange = 0;
    try {
      return await importPhotos(ctx.catalog, ctx.params, {
        signal: ctx.signal,
        importId: previous?.importId,
        jobId: ctx.jobId,
        started: (importId) => ctx.checkpoint({ importId }),
        progress: (done, total, file) => ctx.progress(done, total, file ?? undefined),
        committed: () => {
          // Grids fill in while a long import runs, without a refetch storm.
          if (Date.now() - lastChange < 2000) return;
          lastChange = Date.now();
          ctx.changed('photos', 'embedding');
        },
      });
    } finally {
      ctx.changed(...TOPICS);
    }
};

/** An interrupted import job of exactly these params, if any: running the same import again resumes it. */
export function interruptedImport(jobs: JobRunner, params: ImportParams): number | null {
  const want = JSON.stringify(normalise(params));
  return jobs.interruptedLike('import', (p) => JSON.stringify(normalise(p)) === want);
}

const normalise = (p: ImportParams) => ({ paths: [...(p.paths ?? [])], labels: p.labels ?? null, copy: Boolean(p.copy) });
