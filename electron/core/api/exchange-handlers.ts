import type { ExchangeRequests } from '../../contract';
import { listConflicts, resolveConflict } from '../bundle/conflicts';
import { checkExportTarget } from '../export/target';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';
import { validateJobParams } from './validate-request';

export function exchangeHandlers(b: BackendCore): HandlerGroup<keyof ExchangeRequests> {
  return {
    // The params are checked by the export job's schema (as when queued), then the folder.
    'export.start': (p) => {
      const params = validateJobParams('export', p);
      // A missing or unwritable folder is said at once, so the app can ask before a job starts.
      checkExportTarget(params.kind, params.out, Boolean(params.options?.mkdir));
      return b.jobs.start('export', { ...params, options: params.options ?? {} });
    },
    // Queuing checks the job's params against its schema.
    'merge.start': (p) => b.jobs.start('merge', p),
    'identities.import': (p) => b.jobs.start('identities-import', p),
    'conflicts.list': ({ state }) => listConflicts(b.catalog, state ?? 'open'),
    'conflicts.resolve': ({ id, resolution, newCode }) => {
      const c = resolveConflict(b.catalog, id, resolution, newCode);
      b.emit('catalog.changed', { topics: ['conflicts', 'individuals', 'annotations'] });
      return c;
    },
  };
}
