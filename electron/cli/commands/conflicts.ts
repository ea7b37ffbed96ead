import fs from 'node:fs';
import type { ConflictResolution, MergeConflict } from '../../contract';
import { Catalog } from '../../core/store/catalog';
import { listConflicts, resolveConflict } from '../../core/bundle/conflicts';
import { UserError } from '../../core/util/errors';
import type { Command } from '../command';

export const conflictsCommand: Command = {
  name: 'conflicts',
  summary: 'List merge conflicts, or resolve one (--resolve ID --as keep-local|take-incoming|same-animal|different-animals).',
  usage: 'conflicts [--all] [--resolve ID --as RESOLUTION [--new-code CODE]] [--catalog FILE] [--json]',
  options: {
    all: { type: 'boolean', description: 'also list resolved conflicts' },
    resolve: { type: 'string', description: 'conflict id to resolve', valueName: 'ID' },
    as: { type: 'string', description: 'the resolution', valueName: 'RESOLUTION' },
    'new-code': { type: 'string', description: 'different-animals: a new code for the incoming individual', valueName: 'CODE' },
  },
  async run(args) {
    if (!fs.existsSync(args.catalog)) throw new UserError(`no catalog at ${args.catalog}`, 'not-found');
    const c = Catalog.open(args.catalog, { mustExist: true });
    try {
      if (args.values.resolve !== undefined) {
        if (typeof args.values.as !== 'string') throw new UserError('--as RESOLUTION is required with --resolve', 'usage');
        return [resolveConflict(c, Number(args.values.resolve), args.values.as as ConflictResolution, args.values['new-code'] as string | undefined)];
      }
      return listConflicts(c, args.values.all ? 'all' : 'open');
    } finally {
      c.close();
    }
  },
  human: (list: MergeConflict[]) => (list.length ? list.map((c) => `#${c.id} [${c.kind}${c.state === 'resolved' ? `, ${c.resolution}` : ''}] ${c.summary}`).join('\n') : 'no conflicts'),
};
