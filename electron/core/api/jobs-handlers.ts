import type { JobsRequests } from '../../contract';
import type { Backend } from './backend';
import type { HandlerGroup } from './handlers';

export function jobsHandlers(b: Backend): HandlerGroup<keyof JobsRequests> {
  return {
    'jobs.list': ({ limit }) => b.jobs.list(limit),
    'jobs.get': ({ id }) => b.jobs.get(id),
    'jobs.cancel': ({ id }) => b.jobs.cancel(id),
    'jobs.resume': ({ id }) => b.jobs.resume(id),
  };
}
