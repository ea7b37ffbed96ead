import type { ExchangeRequests } from '../../contract';
import { exportKinds } from '../../contract';
import { listConflicts, resolveConflict } from '../bundle/conflicts';
import { checkExportTarget } from '../export/target';
import { UserError } from '../util/errors';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';

const needPath = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || !v.trim()) throw new UserError(`${what}: give a file path`, 'bad-request');
  return v.trim();
};

export function exchangeHandlers(b: BackendCore): HandlerGroup<keyof ExchangeRequests> {
  return {
    'export.start': ({ kind, out, options }) => {
      if (!exportKinds.includes(kind)) throw new UserError(`unknown export '${String(kind)}'`, 'bad-request');
      // A missing or unwritable folder is said at once, so the app can ask before a job starts.
      checkExportTarget(kind, needPath(out, 'export'), Boolean(options?.mkdir));
      return b.jobs.start('export', { kind, out: needPath(out, 'export'), options: options ?? {} });
    },
    'merge.start': ({ bundle }) => b.jobs.start('merge', { bundle: needPath(bundle, 'merge') }),
    'identities.import': ({ file, format }) => {
      if (format !== 'sightings' && format !== 'wildbook') throw new UserError(`unknown identity format '${String(format)}'`, 'bad-request');
      return b.jobs.start('identities-import', { file: needPath(file, 'identities'), format });
    },
    'conflicts.list': ({ state }) => listConflicts(b.catalog, state ?? 'open'),
    'conflicts.resolve': ({ id, resolution, newCode }) => {
      const c = resolveConflict(b.catalog, id, resolution, newCode);
      b.emit('catalog.changed', { topics: ['conflicts', 'individuals', 'annotations'] });
      return c;
    },
  };
}
