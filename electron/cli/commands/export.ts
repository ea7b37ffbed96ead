import type { ExportKind, ExportResult } from '../../contract';
import { exportKinds } from '../../contract';
import { UserError } from '../../core/util/errors';
import type { Command } from '../command';
import { runJobOnCatalog } from './exchange-run';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export identifications: sightings CSV, Darwin Core Archive, Wildbook spreadsheet, per-individual folders, or a catalog bundle.',
  usage: 'export sightings|dwca|wildbook|folders|bundle --out PATH [--catalog FILE] [--json]',
  options: {
    out: { type: 'string', description: 'file (sightings, dwca, bundle) or folder (wildbook, folders) to write', valueName: 'PATH' },
    thumbnails: { type: 'boolean', description: 'bundle: include cached thumbnails' },
    'referenced-only': { type: 'boolean', description: 'bundle: leave out photos the catalog did not copy (default: include them)' },
    'media-base-url': { type: 'string', description: 'dwca: public URL the photos will be served from (default: photos inside the archive)', valueName: 'URL' },
  },
  async run(args, io) {
    const kind = args.positionals[0] as ExportKind;
    if (!kind || !exportKinds.includes(kind)) throw new UserError(`say what to export: one of ${exportKinds.join(', ')}`, 'usage');
    const out = args.values.out;
    if (typeof out !== 'string' || !out) throw new UserError('--out PATH is required', 'usage');
    const options = {
      thumbnails: Boolean(args.values.thumbnails),
      originals: !args.values['referenced-only'],
      mediaBaseUrl: typeof args.values['media-base-url'] === 'string' ? args.values['media-base-url'] : undefined,
    };
    return runJobOnCatalog<ExportResult>(args, io, 'export', { kind, out, options });
  },
  human: (r: ExportResult) =>
    [
      `${r.kind}: ${r.rows} rows, ${r.photos} photos -> ${r.out}`,
      ...r.files.slice(0, 10).map((f) => `  ${f}`),
      ...(r.files.length > 10 ? [`  ... ${r.files.length - 10} more`] : []),
      ...(r.skipped.length ? [`skipped ${r.skipped.length}:`, ...r.skipped.slice(0, 10).map((s) => `  ${s.what}: ${s.reason}`)] : []),
    ].join('\n'),
};
