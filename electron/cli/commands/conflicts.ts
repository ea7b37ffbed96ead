import fs from 'node:fs';
import type { ConflictResolution, MergeConflict } from '../../contract';
import { Catalog } from '../../core/store/catalog';
import { listConflicts, resolveConflict } from '../../core/bundle/conflicts';
import { UserError } from '../../core/util/errors';
import type { Command } from '../command';
import { checkArgs } from '../check-args';
import { requestSchemas } from '../../contract/schemas';

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
    // The same schema as the app's 'conflicts.resolve' request, before the catalog is opened.
    const resolve =
      args.values.resolve === undefined
        ? null
        : checkArgs(
            requestSchemas['conflicts.resolve'],
            { id: Number(args.values.resolve), resolution: args.values.as as ConflictResolution, newCode: args.values['new-code'] as string | undefined },
            'conflicts',
            { id: '--resolve', resolution: '--as' },
          );
    if (!fs.existsSync(args.catalog)) throw new UserError(`no catalog at ${args.catalog}`, 'not-found');
    const c = Catalog.open(args.catalog, { mustExist: true });
    try {
      if (resolve) return [resolveConflict(c, resolve.id, resolve.resolution, resolve.newCode)];
      return listConflicts(c, args.values.all ? 'all' : 'open');
    } finally {
      c.close();
    }
  },
  human: (list: MergeConflict[]) => (list.length ? list.map((c) => `#${c.id} [${c.kind}${c.state === 'resolved' ? `, ${c.resolution}` : ''}] ${c.summary}`).join('\n') : 'no conflicts'),
};
