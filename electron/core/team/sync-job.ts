import type { JobHandler } from '../jobs/context';
import { syncTeam } from './sync';
import { teamPasswordOf } from './session-password';

/**
 * `caudal team sync` and the app's Sync button, as a job: progress, cancel between batches, and
 * resume by running it again (what committed stays; pending marks and watermarks say what is left).
 */
export const teamSyncJob: JobHandler<'team-sync'> = async (ctx) => {
  try {
    return await syncTeam(ctx.catalog, { password: teamPasswordOf(ctx.catalog), timeoutMs: ctx.params.timeoutMs, progress: ctx });
  } finally {
    ctx.changed('*');
  }
};
