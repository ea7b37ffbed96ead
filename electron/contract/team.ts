import type { NameSet, RequestSpec } from './define';
import type { JobInfoOf } from './jobs';

/** This catalog's link to a team server, read offline. */
export interface TeamStatusInfo {
  linked: boolean;
  /** Without the password. */
  serverUrl: string | null;
  site: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  /** Own rows not pushed yet. */
  pending: number;
  openConflicts: number;
}

export interface TeamRequests {
  'team.status': RequestSpec<Record<string, never>, TeamStatusInfo>;
  /** The password is kept in the OS keychain by the desktop app (never in the catalog). */
  'team.join': RequestSpec<{ url: string; site: string; password?: string }, TeamStatusInfo>;
  /** Starts a 'team-sync' job. */
  'team.sync': RequestSpec<{ password?: string }, JobInfoOf<'team-sync', TeamSyncResult>>;
}

export const teamRequestNames = {
  'team.status': true,
  'team.join': true,
  'team.sync': true,
} as const satisfies NameSet<TeamRequests>;

/** What one sync did: rows and bytes each way, team codes given to new individuals, what is left. */
export interface TeamSyncResult {
  site: string;
  pushed: { batches: number; rows: number; bytes: number };
  pulled: { batches: number; rows: number; bytes: number; added: number; duplicate: number; conflicts: number };
  renamed: Array<{ id: number; code: string }>;
  openConflicts: number;
  pending: number;
  /** Pulled annotations without a vector of this laptop's active model (another model than the team's, or none travelled). */
  toEmbed: number;
  /** The embed job queued to embed them from their pulled crops; null when none was needed. */
  embedJob: number | null;
}
