import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ExportKind, ExportResult, MergeResult } from '../../../electron/contract';
import { doneResult, exportKinds } from '../../../electron/contract';
import { useAction } from '../api/queries';
import { useJob } from '../api/useJob';
import { JobProgress } from '../components/JobProgress';
import { ConflictsView } from '../components/ConflictsView';
import { PathPicker } from '../components/PathPicker';
import { useEncounterBrowser } from '../stores/encounter-browser';
import { useExchange } from '../stores/exchange';
import { useNavigation } from '../stores/navigation';

const kindInfo: Record<ExportKind, { label: string; hint: string; placeholder: string; ext?: string }> = {
  sightings: { label: 'Sightings CSV', hint: 'One row per identified photo, for spreadsheets and your team database.', placeholder: '/path/to/sightings.csv', ext: 'csv' },
  dwca: { label: 'Darwin Core Archive', hint: 'For GBIF and OBIS: occurrences with their photos, licence and institution from Settings.', placeholder: '/path/to/dwca.zip', ext: 'zip' },
  wildbook: { label: 'Wildbook / Flukebook', hint: 'Bulk-import spreadsheet (.xlsx) with the photos beside it, in a folder.', placeholder: '/path/to/wildbook-folder' },
  folders: { label: 'Folders per individual', hint: 'One folder per individual with a copy of each of its photos.', placeholder: '/path/to/individuals-folder' },
  bundle: { label: 'Catalog bundle', hint: 'The whole catalog in one file, to open or merge on another laptop.', placeholder: '/path/to/catalog.caudal', ext: 'caudal' },
};

/** Skipped items by reason, each with a few of its photo file names. */
function skippedByReason(skipped: ExportResult['skipped']): Array<{ reason: string; cause?: string; items: ExportResult['skipped'] }> {
  const groups = new Map<string, ExportResult['skipped']>();
  for (const s of skipped) groups.set(s.reason, [...(groups.get(s.reason) ?? []), s]);
  return [...groups].map(([reason, items]) => ({ reason, cause: items[0].cause, items }));
}

function ExportResultView({ r }: { r: ExportResult }) {
  const go = useNavigation((n) => n.go);
  const showUndated = useEncounterBrowser((b) => b.setFilter);
  const undated = r.skipped.filter((s) => s.cause === 'no-date');
  const encounters = new Set(undated.filter((s) => s.encounterId != null).map((s) => s.encounterId));
  const loose = undated.filter((s) => s.encounterId == null && s.photoId != null).map((s) => ({ id: s.photoId!, name: s.what }));
  const nothing = r.rows === 0;
  return (
    <div className="result" data-testid="export-result" data-rows={r.rows}>
      <p className={nothing ? 'error' : undefined}>
        {nothing ? 'Nothing was exported: ' : 'Wrote '}
        {r.rows} rows and {r.photos} photos to <code>{r.out}</code>
      </p>
      {(r.warnings ?? []).map((w) => (
        <p key={w} className="warning small" role="status" data-testid="export-warning">
          {w}
        </p>
      ))}
      {r.skipped.length > 0 && (
        <div className="export-skipped" role="status" data-testid="export-skipped">
          <p>
            <strong>
              {r.skipped.length} of {r.rows + r.skipped.length} left out.
            </strong>
          </p>
          {skippedByReason(r.skipped).map((g) => (
            <div key={g.reason}>
              <p className="small">
                {g.items.length} × {g.reason}
              </p>
              <p className="small muted skipped-files">
                {g.items
                  .slice(0, 8)
                  .map((s) => s.what)
                  .join(', ')}
                {g.items.length > 8 ? `, and ${g.items.length - 8} more` : ''}
              </p>
            </div>
          ))}
          {undated.length > 0 && (
            <button
              className="primary small"
              data-testid="export-fix-undated"
              onClick={() => {
                showUndated('undated', [...encounters][0] ?? null, loose);
                go('photos');
              }}
            >
              {encounters.size
                ? `Give ${encounters.size === 1 ? 'its encounter' : `these ${encounters.size} encounters`} a date in Photos`
                : `Find ${loose.length === 1 ? 'this photo' : `these ${loose.length} photos`} in Photos`}
            </button>
          )}
        </div>
      )}
      {!nothing && (
        <ul className="small">
          {r.files.slice(0, 20).map((f) => (
            <li key={f}>
              <code>{f}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function MergeResultView({ r }: { r: MergeResult }) {
  const line = (c: Record<string, number>) =>
    Object.entries(c)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ') || 'nothing';
  return (
    <div className="result" data-testid="merge-result">
      <p>Added: {line({ ...r.added })}</p>
      <p>Already here: {line({ ...r.duplicate })}</p>
      <p>
        Conflicts: {r.conflicts.total}
        {r.unmatched ? ` · ${r.unmatched} rows named photos not in this catalog` : ''}
      </p>
    </div>
  );
}

function ExportPanel() {
  const s = useExchange();
  const start = useAction('export.start');
  const job = useJob(s.exportJob);
  const exportResult = doneResult(job, 'export');
  const out = s.out[s.kind] ?? '';
  const busy = job?.state === 'running' || job?.state === 'queued';
  // A folder that does not exist is asked about, never made quietly: a typo should not become a folder.
  const [askMkdir, setAskMkdir] = useState<string | null>(null);
  const go = (mkdir = false) => {
    setAskMkdir(null);
    start.mutate(
      { kind: s.kind, out, options: { thumbnails: s.thumbnails, originals: !s.referencedOnly, ...(s.mediaBaseUrl ? { mediaBaseUrl: s.mediaBaseUrl } : {}), ...(mkdir ? { mkdir } : {}) } },
      {
        onSuccess: (j) => s.set({ exportJob: j.id }),
        onError: (e) => {
          if ((e as Error & { code?: string }).code === 'no-folder') setAskMkdir(e.message);
        },
      },
    );
  };
  return (
    <section className="panel" aria-label="Export">
      <h2>Export</h2>
      <fieldset className="choices">
        <legend className="muted small">What to export</legend>
        {exportKinds.map((k) => (
          <label key={k} className="choice">
            <input type="radio" name="export-kind" value={k} checked={s.kind === k} onChange={() => s.set({ kind: k })} data-testid={`export-kind-${k}`} />
            <span>
              <strong>{kindInfo[k].label}</strong>
              <span className="muted small"> {kindInfo[k].hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{s.kind === 'wildbook' || s.kind === 'folders' ? 'Folder' : 'File'}</span>
        <span className="row">
          <input data-testid="export-out" value={out} placeholder={kindInfo[s.kind].placeholder} onChange={(e) => s.setOut(s.kind, e.target.value)} size={60} />
          <PathPicker
            kind={kindInfo[s.kind].ext ? 'save' : 'folder'}
            title={`Export ${kindInfo[s.kind].label} to`}
            filters={kindInfo[s.kind].ext ? [{ name: kindInfo[s.kind].label, extensions: [kindInfo[s.kind].ext!] }] : undefined}
            onPick={(p) => s.setOut(s.kind, p)}
          />
        </span>
      </label>
      {s.kind === 'bundle' && (
        <div className="row">
          <label>
            <input type="checkbox" checked={s.thumbnails} onChange={(e) => s.set({ thumbnails: e.target.checked })} /> include thumbnails
          </label>
          <label>
            <input type="checkbox" checked={s.referencedOnly} onChange={(e) => s.set({ referencedOnly: e.target.checked })} /> leave out photos the catalog did not copy
          </label>
        </div>
      )}
      {s.kind === 'dwca' && (
        <label className="field">
          <span>Photo URL base (optional)</span>
          <input value={s.mediaBaseUrl} placeholder="https://example.org/photos (empty: photos go inside the archive)" onChange={(e) => s.set({ mediaBaseUrl: e.target.value })} size={60} />
        </label>
      )}
      <button className="primary" data-testid="export-go" disabled={!out.trim() || busy || start.isPending} onClick={() => go()}>
        Export
      </button>
      {askMkdir ? (
        <div className="confirm" role="alertdialog" aria-label="Create the folder?" data-testid="export-mkdir">
          <p>{askMkdir.replace(/^the folder/, 'The folder')}. Create it and export there?</p>
          <div className="row">
            <button className="primary" data-testid="export-mkdir-yes" onClick={() => go(true)}>
              Create the folder
            </button>
            <button className="secondary" onClick={() => setAskMkdir(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : start.error ? (
        <p className="error" role="alert" data-testid="export-error">
          {start.error.message}
        </p>
      ) : null}
      <JobProgress job={job} testId="export-job" />
      {exportResult && <ExportResultView r={exportResult} />}
    </section>
  );
}

function MergePanel() {
  const s = useExchange();
  const qc = useQueryClient();
  const merge = useAction('merge.start');
  const ids = useAction('identities.import');
  const job = useJob(s.mergeJob);
  const mergeResult = doneResult(job, 'merge') ?? doneResult(job, 'identities-import');
  const busy = job?.state === 'running' || job?.state === 'queued';
  useEffect(() => {
    if (job?.state === 'done') void qc.invalidateQueries();
  }, [job?.state, qc]);
  const go = () => {
    const onSuccess = (j: { id: number }) => s.set({ mergeJob: j.id });
    if (s.mergeFormat === 'bundle') merge.mutate({ bundle: s.mergeSource }, { onSuccess });
    else ids.mutate({ file: s.mergeSource, format: s.mergeFormat }, { onSuccess });
  };
  const err = merge.error ?? ids.error;
  return (
    <section className="panel" aria-label="Merge">
      <h2>Merge or import identities</h2>
      <p className="muted small">Photos match by content, individuals by code. Nothing here is overwritten: disagreements are listed below for you to resolve.</p>
      <div className="row">
        <select aria-label="source kind" value={s.mergeFormat} onChange={(e) => s.set({ mergeFormat: e.target.value as typeof s.mergeFormat })}>
          <option value="bundle">Catalog bundle</option>
          <option value="sightings">Sightings CSV</option>
          <option value="wildbook">Wildbook export</option>
        </select>
        <input data-testid="merge-source" value={s.mergeSource} placeholder="/path/to/other.caudal" onChange={(e) => s.set({ mergeSource: e.target.value })} size={50} />
        <PathPicker
          kind="open"
          title="Merge or import from"
          filters={[{ name: 'Bundle, CSV or spreadsheet', extensions: s.mergeFormat === 'bundle' ? ['caudal', 'zip'] : s.mergeFormat === 'sightings' ? ['csv'] : ['xlsx', 'csv'] }]}
          onPick={(p) => s.set({ mergeSource: p })}
        />
        <button className="primary" data-testid="merge-go" disabled={!s.mergeSource.trim() || busy} onClick={go}>
          {s.mergeFormat === 'bundle' ? 'Merge' : 'Import'}
        </button>
      </div>
      {err && <p className="error">{err.message}</p>}
      <JobProgress job={job} testId="merge-job" />
      {mergeResult && <MergeResultView r={mergeResult} />}
      <h3>Conflicts</h3>
      <ConflictsView />
    </section>
  );
}

export function ExportScreen() {
  return (
    <div className="screen" data-testid="screen-export">
      <h1>Export</h1>
      <ExportPanel />
      <MergePanel />
    </div>
  );
}
