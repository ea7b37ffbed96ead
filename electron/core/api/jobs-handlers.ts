import type { JobsRequests } from '../../contract';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';

export function jobsHandlers(b: BackendCore): HandlerGroup<keyof JobsRequests> {
  return {
    'jobs.list': ({ limit }) => b.jobs.list(limit),
    'jobs.get': ({ id }) => b.jobs.get(id),
    'jobs.cancel': ({ id }) => b.jobs.cancel(id),
    'jobs.resume': ({ id }) => b.jobs.resume(id),
  };
}
