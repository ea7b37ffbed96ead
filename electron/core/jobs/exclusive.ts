import type { JobKind } from '../../contract';
import { UserError } from '../util/errors';
import type { JobRunner } from './runner';

/**
 * Refuses a second job of a kind that must run alone (training: two runs would race to activate
 * their models) while one is queued or running in any process on this catalog: the app's
 * 'training.start' and `caudal train` both ask here.
 */
export function assertNoneActive(jobs: JobRunner, kind: JobKind, what: string): void {
  const busy = jobs.list(200).find((j) => j.kind === kind && (j.state === 'running' || j.state === 'queued'));
  if (busy) throw new UserError(`${what} job ${busy.id} is already ${busy.state}`, 'busy');
}
