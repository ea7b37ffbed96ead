import { useEffect, useState } from 'react';
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
            <li>Open conflicts: {s.openConflicts}{s.openConflicts ? ' (resolve them in Export > Merge)' : ''}</li>
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
