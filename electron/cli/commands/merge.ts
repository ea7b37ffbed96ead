import fs from 'node:fs';
import path from 'node:path';
import type { MergeResult } from '../../contract';
import { UserError } from '../../core/util/errors';
import type { Command } from '../command';
import { runJobOnCatalog } from './exchange-run';

export const humanMerge = (r: MergeResult): string => {
  const line = (label: string, c: Record<string, number>) => `${label.padEnd(10)} ${Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ')}`;
  return [
    `merged ${r.source}`,
    line('added', { ...r.added }),
    line('duplicate', { ...r.duplicate }),
    `conflicts  ${r.conflicts.total} (annotation ${r.conflicts.annotation}, code ${r.conflicts.code}, attribute ${r.conflicts.attribute})${r.conflicts.total ? ': resolve them in the app (Export > Merge) or with caudal conflicts' : ''}`,
    ...(r.unmatched ? [`unmatched  ${r.unmatched} rows name a photo this catalog does not hold`] : []),
  ].join('\n');
};

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'Merge a catalog bundle into a catalog (a new one when FILE does not exist); disagreements become conflicts, nothing is overwritten.',
  usage: 'merge BUNDLE [--catalog FILE] [--json]',
  async run(args, io) {
    const bundle = args.positionals[0];
    if (!bundle) throw new UserError('give the bundle file to merge', 'usage');
    if (!fs.existsSync(bundle)) throw new UserError(`no bundle at ${path.resolve(bundle)}`, 'not-found');
    // Merging into a catalog that does not exist yet is how a new laptop starts from a bundle.
    return runJobOnCatalog(args, io, 'merge', { bundle: path.resolve(bundle) }, { command: 'merge', names: { bundle: 'BUNDLE' }, create: true });
  },
  human: humanMerge,
};

export const importIdentitiesCommand: Command = {
  name: 'import-identities',
  summary: 'Import identifications from a sightings CSV or a Wildbook export (.xlsx/.csv) into a catalog.',
  usage: 'import-identities FILE --format sightings|wildbook [--catalog FILE] [--json]',
  options: { format: { type: 'string', description: 'sightings (Caudal CSV) or wildbook', valueName: 'FORMAT' } },
  async run(args, io) {
    const file = args.positionals[0];
    if (!file) throw new UserError('give the file to import', 'usage');
    const format = (args.values.format ?? (/\.xlsx$/i.test(file) ? 'wildbook' : 'sightings')) as 'sightings' | 'wildbook';
    return runJobOnCatalog(args, io, 'identities-import', { file, format }, { command: 'import-identities', names: { file: 'FILE' } });
  },
  human: humanMerge,
};
