import { useEffect, useState } from 'react';
import type { TeamLocalConflict } from '../../../electron/contract';
import { useAction, useRequest } from '../api/queries';
import { useJob } from '../api/useJob';
import { JobProgress } from './JobProgress';

/**
 * The team catalog in Settings: the link (server, site), the last sync, what is pending and the
 * open conflicts; a join form until the catalog is linked, then the Sync button. The sync is a
 * job: it can be cancelled, and running it again resumes (what was committed stays).
 */
export function TeamSettings() {
  const status = useRequest('team.status', {});
  const join = useAction('team.join', ['team']);
  const sync = useAction('team.sync');
  const cancel = useAction('jobs.cancel');
  const [jobId, setJobId] = useState<number | null>(null);
  const job = useJob(jobId);
  const [url, setUrl] = useState('');
  const [site, setSite] = useState('');
  const [password, setPassword] = useState('');
  const busy = job?.state === 'running' || job?.state === 'queued';
  const { refetch } = status;
  useEffect(() => {
    if (job && !busy) void refetch();
  }, [job, busy, refetch]);
  const s = status.data;
  if (!s) return null;
  return (
    <fieldset data-testid="team-settings">
      <legend>Team</legend>
      {s.linked ? (
        <>
          <p className="small" data-testid="team-link">
            Site <b>{s.site}</b> on {s.serverUrl}
          </p>
          <ul className="small" data-testid="team-status">
            <li>Last sync: {s.lastSyncAt ? new Date(s.lastSyncAt).toLocaleString() : 'never'}</li>
            <li>Pending: {s.pending} rows to push</li>
            <li>Open conflicts: {s.openConflicts}{s.openConflicts > s.teamConflicts.length ? ' (those from bundles: Export > Merge)' : ''}</li>
            {s.lastError && <li className="error">Last attempt: {s.lastError}</li>}
          </ul>
          <div className="setting">
            <label htmlFor="team-password">Password</label>
            <div className="setting-input">
              <input id="team-password" data-testid="team-password" type="password" value={password} autoComplete="off" onChange={(e) => setPassword(e.target.value)} />
            </div>
            <div className="muted small">Only when the server asks again: the app keeps it in the system keychain.</div>
          </div>
          <button
            data-testid="team-sync"
            disabled={busy || sync.isPending}
            onClick={() => sync.mutate(password ? { password } : {}, { onSuccess: (j) => setJobId(j.id) })}
          >
            Sync
          </button>
          {busy && jobId !== null && (
            <button data-testid="team-sync-cancel" onClick={() => cancel.mutate({ id: jobId })}>
              Cancel
            </button>
          )}
          <JobProgress job={job} testId="team-sync-job" />
          {sync.error && <p className="error">{sync.error.message}</p>}
          {s.teamConflicts.length > 0 && <TeamConflicts conflicts={s.teamConflicts} />}
        </>
      ) : (
        <form
          data-testid="team-join"
          onSubmit={(e) => {
            e.preventDefault();
            join.mutate({ url, site, ...(password ? { password } : {}) }, { onSuccess: () => setPassword('') });
          }}
        >
          <p className="muted small">Link this catalog to the team's PostgreSQL server (the owner registers each site first).</p>
          <div className="setting">
            <label htmlFor="team-url">Server</label>
            <input id="team-url" data-testid="team-url" placeholder="postgres://boat_a@host:5432/team" value={url} onChange={(e) => setUrl(e.target.value)} />
          </div>
          <div className="setting">
            <label htmlFor="team-site">Site</label>
            <input id="team-site" data-testid="team-site" placeholder="boat-a" value={site} onChange={(e) => setSite(e.target.value)} />
          </div>
          <div className="setting">
            <label htmlFor="team-join-password">Password</label>
            <input id="team-join-password" data-testid="team-join-password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          <button type="submit" data-testid="team-join-submit" disabled={join.isPending || !url || !site}>
            Join
          </button>
          {join.error && <p className="error" role="alert">{join.error.message}</p>}
        </form>
      )}
    </fieldset>
  );
}

/**
 * The conflicts pulls met, as the team names them. The team's curator resolves them on the
 * server (the server refuses any other login), typing the curator's login here for that alone;
 * each laptop applies the resolution at its next sync.
 */
function TeamConflicts({ conflicts }: { conflicts: TeamLocalConflict[] }) {
  const resolve = useAction('team.resolve', ['team']);
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<Record<string, string>>({});
  return (
    <div data-testid="team-conflicts">
      <h4>Team conflicts</h4>
      <ul className="small">
        {conflicts.map((c) => (
          <li key={c.key} data-testid="team-conflict">
            {c.summary}{' '}
            {done[c.key] ? (
              <span className="muted">resolved on the team ({done[c.key]}): the next sync applies it</span>
            ) : (
              c.options.map((o) => (
                <button
                  key={o.value}
                  data-testid="team-conflict-choose"
                  disabled={!url || resolve.isPending}
                  title="Curators only: the server refuses any other login"
                  onClick={() =>
                    resolve.mutate({ url, conflict: c.key, choice: o.value, ...(password ? { password } : {}) }, { onSuccess: () => setDone((d) => ({ ...d, [c.key]: o.label })) })
                  }
                >
                  {o.label}
                </button>
              ))
            )}
          </li>
        ))}
      </ul>
      <div className="setting">
        <label htmlFor="team-curator-url">Curator login</label>
        <input id="team-curator-url" data-testid="team-curator-url" placeholder="postgres://curator@host:5432/team" value={url} onChange={(e) => setUrl(e.target.value)} />
        <input id="team-curator-password" data-testid="team-curator-password" type="password" autoComplete="off" placeholder="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <div className="muted small">Only the team&apos;s curator resolves team conflicts; this login is used for the choice and kept nowhere.</div>
      </div>
      {resolve.error && <p className="error" role="alert">{resolve.error.message}</p>}
    </div>
  );
}
