import type { JobHandler } from '../jobs/context';
import { syncTeam } from './sync';
import { teamPasswordOf } from './session-password';

/**
 * `caudal team sync` and the app's Sync button, as a job: progress, cancel between batches, and
 * resume by running it again (what committed stays; pending marks and watermarks say what is left).
 * Pulled annotations without a vector of this laptop's model (it runs another model than the
 * team's, or the vectors did not travel) are embedded from their crops by an embed job queued
 * here, so they become matchable without blocking the sync.
 */
export const teamSyncJob: JobHandler<'team-sync'> = async (ctx) => {
  try {
    const result = await syncTeam(ctx.catalog, { password: teamPasswordOf(ctx.catalog), timeoutMs: ctx.params.timeoutMs, progress: ctx });
    if (result.toEmbed > 0) result.embedJob = (await ctx.request('embedding.start', {})).id;
    return result;
  } finally {
    ctx.changed('*');
  }
};
