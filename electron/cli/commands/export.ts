import type { ExportKind, ExportResult } from '../../contract';
import { exportKinds } from '../../contract';
import { checkExportTarget } from '../../core/export/target';
import { UserError } from '../../core/util/errors';
import type { Command } from '../command';
import { checkJobArgs } from '../check-args';
import { runJobOnCatalog } from './exchange-run';

/** The skipped items grouped by reason, with a few file names each: 621 lines of one reason help nobody. */
export function skippedSummary(skipped: ExportResult['skipped'], perReason = 5): string[] {
  const byReason = new Map<string, string[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.what]);
  return [...byReason].flatMap(([reason, what]) => [
    `  ${what.length} x ${reason}:`,
    `    ${what.slice(0, perReason).join(', ')}${what.length > perReason ? `, ... ${what.length - perReason} more` : ''}`,
  ]);
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export identifications: sightings CSV, Darwin Core Archive, Wildbook spreadsheet, per-individual folders, or a catalog bundle.',
  usage: 'export sightings|dwca|wildbook|folders|bundle --out PATH [--mkdir] [--catalog FILE] [--json]',
  options: {
    out: { type: 'string', description: 'file (sightings, dwca, bundle) or folder (wildbook, folders) to write', valueName: 'PATH' },
    mkdir: { type: 'boolean', description: 'create the folders leading to --out when they do not exist (default: refuse)' },
    thumbnails: { type: 'boolean', description: 'bundle: include cached thumbnails' },
    'referenced-only': { type: 'boolean', description: 'bundle: leave out photos the catalog did not copy (default: include them)' },
    'media-base-url': { type: 'string', description: 'dwca: public URL the photos will be served from (default: photos inside the archive)', valueName: 'URL' },
  },
  async run(args, io) {
    const kind = args.positionals[0] as ExportKind;
    if (!kind || !exportKinds.includes(kind)) throw new UserError(`say what to export: one of ${exportKinds.join(', ')}`, 'usage');
    const out = args.values.out;
    if (typeof out !== 'string' || !out) throw new UserError('--out PATH is required', 'usage');
    const mkdir = Boolean(args.values.mkdir);
    const options = {
      thumbnails: Boolean(args.values.thumbnails),
      originals: !args.values['referenced-only'],
      mediaBaseUrl: typeof args.values['media-base-url'] === 'string' ? args.values['media-base-url'] : undefined,
      mkdir,
    };
    // Checked before the folder is looked at, so a bad --media-base-url is said before a missing folder.
    const params = checkJobArgs('export', { kind, out, options }, 'export', { kind: 'KIND' });
    try {
      checkExportTarget(kind, params.out, mkdir);
    } catch (e) {
      if (e instanceof UserError && e.code === 'no-folder') throw new UserError(`${e.message} (create it, or pass --mkdir)`, 'no-folder');
      throw e;
    }
    return runJobOnCatalog(args, io, 'export', params, { command: 'export', names: { kind: 'KIND' } });
  },
  human: (r: ExportResult) =>
    [
      `${r.kind}: ${r.rows} rows, ${r.photos} photos -> ${r.out}`,
      ...r.files.slice(0, 10).map((f) => `  ${f}`),
      ...(r.files.length > 10 ? [`  ... ${r.files.length - 10} more`] : []),
      ...(r.skipped.length ? [`skipped ${r.skipped.length}:`, ...skippedSummary(r.skipped)] : []),
      ...(r.warnings ?? []).map((w) => `warning: ${w}`),
    ].join('\n'),
  // An export that wrote nothing did not do its job, whatever it printed.
  exitCode: (r: ExportResult) => (r.rows === 0 ? 1 : 0),
  failureNote: (r: ExportResult) =>
    r.skipped.length ? `nothing was exported: all ${r.skipped.length} left out (${[...new Set(r.skipped.map((s) => s.reason))].join('; ')})` : 'nothing was exported: the catalog has no identified photos',
};
