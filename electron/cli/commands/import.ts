import path from 'node:path';
import type { ImportParams, ImportReport } from '../../contract';
import type { Command } from '../command';
import { Backend } from '../../core/api/backend';
import { interruptedImport } from '../../core/import/job';
import { UserError } from '../../core/util/errors';

export const importCommand: Command = {
  name: 'import',
  summary: 'Import photo files and folders (recursively), with EXIF time, GPS and camera; optionally a labels CSV.',
  usage: 'import PATH... [--labels CSV] [--copy] [--catalog FILE] [--json]',
  options: {
    labels: { type: 'string', description: 'labels CSV: image,individual[,side][,sighting][,x,y,w,h] (or Kaggle Image,Id)', valueName: 'CSV' },
    copy: { type: 'boolean', description: 'copy the originals into the catalog\'s media folder' },
  },
  async run(args, io) {
    const labels = args.values.labels as string | undefined;
    if (!args.positionals.length && !labels) throw new UserError('give one or more files or folders to import', 'usage');
    const params: ImportParams = { paths: args.positionals.map((p) => path.resolve(p)), copy: Boolean(args.values.copy) };
    if (labels) params.labels = path.resolve(labels);
    const backend = new Backend(args.catalog);
    let jobId: number | null = null;
    const stop = () => {
      if (jobId !== null) backend.jobs.cancel(jobId);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      // Running an import again after a crash or kill resumes it, so its counts cover both runs.
      const resume = interruptedImport(backend.catalog, params);
      if (resume !== null) io.err(`resuming interrupted import (job ${resume})`);
      const info = resume !== null ? backend.jobs.resume(resume) : backend.jobs.start('import', params);
      jobId = info.id;
      const r = await backend.jobs.awaitResult<ImportReport>(info.id);
      return {
        imported: r.imported, duplicates: r.duplicates, failed: r.failed, withTime: r.withTime, withGps: r.withGps, encounters: r.encounters,
        proposed: r.proposed, ...(r.proposalsUnavailable ? { proposalsUnavailable: r.proposalsUnavailable } : {}),
      };
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await backend.close();
    }
  },
  human: (r: Pick<ImportReport, 'imported' | 'duplicates' | 'failed' | 'withTime' | 'withGps' | 'encounters' | 'proposed'> & { proposalsUnavailable?: string }) =>
    [
      `imported     ${r.imported} (${r.withTime} with capture time, ${r.withGps} with GPS)`,
      `duplicates   ${r.duplicates} (already in the catalog)`,
      `encounters   ${r.encounters}`,
      ...(r.proposed ? [`boxes        ${r.proposed} proposed around the animal (accept or move them in Photos)`] : []),
      ...(r.proposalsUnavailable ? [`boxes        none could be proposed: ${r.proposalsUnavailable}`] : []),
      `failed       ${r.failed.length}`,
      ...r.failed.map((f) => `  ${f.file}: ${f.error}`),
    ].join('\n'),
};
