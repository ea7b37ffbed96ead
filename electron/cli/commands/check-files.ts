import { Catalog } from '../../core/store/catalog';
import { photoFile } from '../../core/media/media';
import { checkMissing } from '../../core/photos/missing';
import type { Command } from '../command';

interface CheckFilesResult {
  checked: number;
  missing: number;
  /** Every photo whose file is gone, with where the catalog expected it. */
  files: Array<{ photo: number; file: string }>;
}

export const checkFilesCommand: Command = {
  name: 'check-files',
  summary: 'Flag photos whose file has gone (an unplugged drive, a moved folder) and list them; deletes nothing.',
  usage: 'check-files [--catalog FILE] [--json]',
  async run(args): Promise<CheckFilesResult> {
    const c = Catalog.open(args.catalog, { mustExist: true });
    try {
      const { checked, missing } = checkMissing(c);
      const rows = c.store.photos.missingFiles();
      return { checked, missing, files: rows.map((r) => ({ photo: r.id, file: photoFile(c, r) })) };
    } finally {
      c.close();
    }
  },
  human: (r: CheckFilesResult) =>
    r.missing === 0
      ? `all ${r.checked} photo files are where the catalog expects them`
      : [
          `${r.missing} of ${r.checked} photo files are missing (flagged, nothing deleted):`,
          ...r.files.slice(0, 20).map((f) => `  ${f.file}`),
          ...(r.files.length > 20 ? [`  … and ${r.files.length - 20} more (--json lists all)`] : []),
          'Plug the drive back in, or import the folder from its new place: the photos are re-linked, with their identities.',
        ].join('\n'),
};
