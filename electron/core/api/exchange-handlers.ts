import type { ExchangeRequests } from '../../contract';
import { listConflicts, resolveConflict } from '../bundle/conflicts';
import { checkExportTarget } from '../export/target';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';
import { trimmed as trim, validateJobParams } from './validate-request';

export function exchangeHandlers(b: BackendCore): HandlerGroup<keyof ExchangeRequests> {
  return {
    // Paths typed into the app are trimmed; the params are checked by the job's schema (as when queued), then the folder.
    'export.start': (p) => {
      const params = validateJobParams('export', { ...p, out: trim(p.out) });
      // A missing or unwritable folder is said at once, so the app can ask before a job starts.
      checkExportTarget(params.kind, params.out, Boolean(params.options?.mkdir));
      return b.jobs.start('export', { ...params, options: params.options ?? {} });
    },
    'merge.start': (p) => b.jobs.start('merge', { ...p, bundle: trim(p.bundle) }),
    'identities.import': (p) => b.jobs.start('identities-import', { ...p, file: trim(p.file) }),
    'conflicts.list': ({ state }) => listConflicts(b.catalog, state ?? 'open'),
    'conflicts.resolve': ({ id, resolution, newCode }) => {
      const c = resolveConflict(b.catalog, id, resolution, newCode);
      b.emit('catalog.changed', { topics: ['conflicts', 'individuals', 'annotations'] });
      return c;
    },
  };
}
