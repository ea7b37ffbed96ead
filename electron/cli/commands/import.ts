import path from 'node:path';
import type { ImportFailure, ImportReport } from '../../contract';
import type { Command } from '../command';
import { openBackend } from '../open-backend';
import { getSetting } from '../../core/catalog/settings';
import { interruptedImport } from '../../core/import/job';
import { checkJobArgs } from '../check-args';
import { progressLines } from '../progress';
import { applySettingOptions, speciesOptions } from './settings';

type Printed = Pick<ImportReport, 'imported' | 'duplicates' | 'failed' | 'withTime' | 'withGps' | 'encounters' | 'labels' | 'outside' | 'proposed' | 'truncated'> & { proposalsUnavailable?: string | null };

const photoFailures = (f: ImportFailure[]) => f.filter((x) => x.labelRow === undefined);
const labelFailures = (f: ImportFailure[]) => f.filter((x) => x.labelRow !== undefined);

export const importCommand: Command = {
  name: 'import',
  summary: 'Import photo files and folders (recursively), with EXIF time, GPS and camera; optionally a labels CSV.',
  usage: "import PATH... [--labels CSV] [--copy] [--species NAME] [--body-part PART] [--catalog FILE] [--json]",
  options: {
    labels: { type: 'string', description: "labels CSV: image,individual[,side][,sighting][,x,y,w,h] (or Kaggle Image,Id); image paths are relative to the CSV's folder", valueName: 'CSV' },
    copy: { type: 'boolean', description: 'copy the originals into the catalog\'s media folder' },
    ...speciesOptions,
  },
  async run(args, io) {
    const labels = args.values.labels as string | undefined;
    const params = checkJobArgs(
      'import',
      { paths: args.positionals.map((p) => path.resolve(p)), copy: Boolean(args.values.copy), ...(labels !== undefined ? { labels: labels && path.resolve(labels) } : {}) },
      'import',
      { paths: 'PATH' },
    );
    const backend = openBackend(args.catalog, io);
    let jobId: number | null = null;
    const stop = () => {
      if (jobId !== null) backend.jobs.cancel(jobId);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      applySettingOptions(backend.catalog, args.values);
      if (!getSetting(backend.catalog, 'bodyPart')) {
        io.err('note: this catalog has no body part yet; photos are imported without one. Say which with --body-part (fluke, dorsal, flank...) or `caudal settings --body-part PART`.');
      }
      if (!getSetting(backend.catalog, 'species')) io.err("note: this catalog has no species yet; exports will carry no scientific name until `caudal settings --species 'Genus species'`.");
      // Running an import again after a crash or kill resumes it, so its counts cover both runs.
      const resume = interruptedImport(backend.jobs, params);
      if (resume !== null) io.err(`resuming interrupted import (job ${resume})`);
      const info = resume !== null ? backend.jobs.resume(resume) : backend.jobs.start('import', params);
      jobId = info.id;
      const r = await backend.jobs.awaitResult(info.id, 'import', progressLines(io, 'import', { stages: false }));
      const printed: Printed = { imported: r.imported, duplicates: r.duplicates, failed: r.failed, withTime: r.withTime, withGps: r.withGps, encounters: r.encounters, labels: r.labels,
        outside: r.outside, proposed: r.proposed, ...(r.proposalsUnavailable ? { proposalsUnavailable: r.proposalsUnavailable } : {}), ...(r.truncated ? { truncated: r.truncated } : {}) };
      return printed;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await backend.close();
    }
  },
  human: (r: Printed) => {
    const photos = photoFailures(r.failed);
    const rows = labelFailures(r.failed);
    // Over the job result's limit only the first failures came back, files and label rows mixed: say the total, not a split.
    const cut = r.truncated?.failed;
    return [
      `imported     ${r.imported} photos (${r.withTime} with capture time, ${r.withGps} with GPS)`,
      `duplicates   ${r.duplicates} (already in the catalog)`,
      `encounters   ${r.encounters}`,
      ...(r.labels
        ? [`labels       ${r.labels.rows} rows: ${r.labels.identified} identities applied (${r.labels.individualsCreated} new individuals)${cut ? '' : `, ${rows.length} rows refused`}`]
        : []),
      ...(r.proposed ? [`boxes        ${r.proposed} proposed around the animal (accept or move them in Photos)`] : []),
      ...(r.proposalsUnavailable ? [`boxes        none could be proposed: ${r.proposalsUnavailable}`] : []),
      ...(r.outside.length ? [`outside      ${r.truncated?.outside?.total ?? r.outside.length} photo(s) named by the labels file outside the given folders, imported:`, ...r.outside.map((f) => `  ${f}`)] : []),
      cut ? `failed       ${cut.total} (the first ${cut.shown} below; all of them in ${cut.file})` : `failed       ${photos.length} files`,
      ...photos.map((f) => `  ${f.file}: ${f.error}`),
      ...(rows.length ? ['refused label rows:', ...rows.map((f) => `  ${f.file}: ${f.error}`)] : []),
    ].join('\n');
  },
  // Non-zero when the import did not happen: a path given could not be opened (or is no photo), or nothing at all
  // came in (no photo, no label) while something failed. A stray non-photo file among good ones is not that.
  exitCode: (r: Printed, args) => (importFailed(r, args.positionals.map((p) => path.resolve(p))) ? 1 : 0),
  failureNote: (r: Printed) => {
    const f = r.failed[0];
    return `the import failed${f ? `: ${f.file}: ${f.error}` : ''}`;
  },
};

function importFailed(r: Printed, given: string[]): boolean {
  const unopened = r.failed.some((f) => f.labelRow === undefined && given.includes(f.file));
  const nothing = r.imported + r.duplicates === 0 && (r.labels?.identified ?? 0) === 0;
  return unopened || (nothing && r.failed.length > 0);
}
