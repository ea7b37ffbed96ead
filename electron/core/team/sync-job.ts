import type { Backend } from '../api/backend';
import type { JobHandler } from '../jobs/runner';
import { syncTeam, type TeamSyncResult } from './sync';
import { teamPasswordOf } from './session-password';

/**
 * `caudal team sync` and the app's Sync button, as a job: progress, cancel between batches, and
 * resume by running it again (what committed stays; pending marks and watermarks say what is left).
 */
export const teamSyncJob =
  (b: Backend): JobHandler<{ timeoutMs?: number }, TeamSyncResult> =>
  async (ctx) => {
    try {
      return await syncTeam(b.catalog, { password: teamPasswordOf(b), timeoutMs: ctx.params.timeoutMs, progress: ctx });
    } finally {
      b.emit('catalog.changed', { topics: ['*'] });
    }
  };
