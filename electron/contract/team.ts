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
  /** The open conflicts pulls met, as the team names them (the curator resolves them; a sync applies the resolution). */
  teamConflicts: TeamLocalConflict[];
}

export interface TeamConflictOption {
  /** What a resolution records: an individual's team key (site/id), 'same-animal' or 'different-animals', or a value. */
  value: string;
  label: string;
}

/** A conflict on the team server: reported by the sites that met it, resolved by a curator. */
export interface TeamServerConflict {
  id: number;
  key: string;
  kind: 'annotation' | 'code' | 'attribute';
  summary: string;
  options: TeamConflictOption[];
  reportedBy: string;
  reportedAt: string;
  state: 'open' | 'resolved';
  choice: string | null;
  /** The curator's login role. */
  resolvedBy: string | null;
  resolvedAt: string | null;
}

/** An open conflict of this catalog that a pull met, with the key the team knows it by. */
export interface TeamLocalConflict {
  /** This catalog's conflict id (caudal conflicts). */
  conflictId: number;
  key: string;
  kind: TeamServerConflict['kind'];
  summary: string;
  options: TeamConflictOption[];
}

export interface TeamRequests {
  'team.status': RequestSpec<Record<string, never>, TeamStatusInfo>;
  /** The password is kept in the OS keychain by the desktop app (never in the catalog). */
  'team.join': RequestSpec<{ url: string; site: string; password?: string }, TeamStatusInfo>;
  /** Starts a 'team-sync' job. */
  'team.sync': RequestSpec<{ password?: string }, JobInfoOf<'team-sync', TeamSyncResult>>;
  /** Marks a team conflict resolved, logged in as a curator (url and password of the curator's role; the server refuses any other). */
  'team.resolve': RequestSpec<{ url: string; password?: string; conflict: string; choice: string }, TeamServerConflict>;
}

export const teamRequestNames = {
  'team.status': true,
  'team.join': true,
  'team.sync': true,
  'team.resolve': true,
} as const satisfies NameSet<TeamRequests>;

/** What one sync did: rows and bytes each way, team codes given to new individuals, what is left. */
export interface TeamSyncResult {
  site: string;
  pushed: { batches: number; rows: number; bytes: number };
  pulled: { batches: number; rows: number; bytes: number; added: number; duplicate: number; conflicts: number };
  renamed: Array<{ id: number; code: string }>;
  openConflicts: number;
  /** Team conflicts a curator had resolved that this sync applied here. */
  resolvedByCurator: number;
  pending: number;
  /** Pulled annotations without a vector of this laptop's active model (another model than the team's, or none travelled). */
  toEmbed: number;
  /** The embed job queued to embed them from their pulled crops; null when none was needed. */
  embedJob: number | null;
}
