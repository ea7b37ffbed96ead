import type { JobInfo } from '../contract';
import { Backend } from '../core/api/backend';
import { BUSY_PREFIX } from '../core/jobs/runner';
import type { CommandIO } from './command';

/** A backend for one command; a job that waits for another process's job says so on stderr, once per wait. */
export function openBackend(file: string, io: CommandIO): Backend {
  const backend = new Backend(file);
  let said: string | null = null;
  backend.onEvent((event, payload) => {
    if (event !== 'job.updated') return;
    const m = (payload as JobInfo).message;
    if (m && m.startsWith(BUSY_PREFIX) && m !== said) io.err((said = m));
  });
  return backend;
}
