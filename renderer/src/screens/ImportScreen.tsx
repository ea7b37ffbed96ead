import { useEffect, useState } from 'react';
import { doneResult, type ImportReport, type JobInfo } from '../../../electron/contract';
import { api } from '../api/bridge';
import { usePickers } from '../api/pickers';
import { useRequest } from '../api/queries';
import { CatalogSpecies } from '../components/CatalogSpecies';
import { PhotoGrid } from '../components/PhotoGrid';
import { PhotoView } from '../components/PhotoView';
import { useImportJob } from '../stores/import';
import { useMenuCommand } from '../stores/menu';
import '../components/photo.css';

const splitPaths = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

export function ImportScreen() {
  const { job, track } = useImportJob();
  const settings = useRequest('settings.get', {});
  const jobs = useRequest('jobs.list', { limit: 20 });
  const [paths, setPaths] = useState('');
  const [labels, setLabels] = useState('');
  const [copy, setCopy] = useState<boolean | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [openPhoto, setOpenPhoto] = useState<number | null>(null);
  const picker = usePickers();
  // File > Import Folder… in the desktop menu opens the dialog first and sends the folder here.
  const menu = useMenuCommand((m) => m.last);
  useEffect(() => {
    if (menu?.command === 'import.folder' && menu.path) setPaths((p) => [...splitPaths(p).filter((x) => x !== menu.path), menu.path!].join('\n'));
  }, [menu]);
  const copyChecked = copy ?? Boolean(settings.data?.copyOnImport);

  // Follow an import already running (started before a reload, or from another window).
  useEffect(() => {
    const running = jobs.data?.find((j) => j.kind === 'import' && (j.state === 'running' || j.state === 'queued'));
    if (running && !job) track(running);
  }, [jobs.data, job, track]);
  // A finished, cancelled or resumed import changes which interrupted imports there are.
  const refetchJobs = jobs.refetch;
  useEffect(() => {
    if (job && job.state !== 'running' && job.state !== 'queued') void refetchJobs();
  }, [job?.state, job, refetchJobs]);
  const interrupted = (jobs.data ?? []).filter((j) => j.kind === 'import' && j.state === 'interrupted');

  const active = job !== null && (job.state === 'running' || job.state === 'queued');
  const start = async () => {
    setStartError(null);
    try {
      track(await api().request('import.start', { paths: splitPaths(paths), labels: labels.trim() || undefined, copy: copyChecked }));
    } catch (e) {
      setStartError((e as Error).message);
    }
  };
  const act = async (fn: () => Promise<JobInfo>) => {
    try {
      track(await fn());
    } catch (e) {
      setStartError((e as Error).message);
    }
  };

  return (
    <div className="screen" data-testid="screen-import">
      <h1>Import</h1>
      <CatalogSpecies />
      <form
        className="import-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <label>
          Photo folders or files (one per line; folders are searched with their sub-folders)
          <div className="row">
            <textarea value={paths} onChange={(e) => setPaths(e.target.value)} placeholder="/media/sdcard/DCIM" data-testid="import-paths" spellCheck={false} style={{ flex: 1 }} />
            {picker ? (
              <button type="button" className="secondary" onClick={() => void picker.photos().then((p) => p && setPaths([...splitPaths(paths), ...p].join('\n')))}>
                Choose…
              </button>
            ) : null}
          </div>
        </label>
        <label>
          Labels CSV (optional): image,individual[,side][,sighting][,x,y,w,h], or Kaggle's Image,Id
          <div className="row">
            <input value={labels} onChange={(e) => setLabels(e.target.value)} placeholder="/path/to/labels.csv" data-testid="import-labels" spellCheck={false} style={{ flex: 1 }} />
            {picker ? (
              <button type="button" className="secondary" onClick={() => void picker.labelsCsv().then((p) => p && setLabels(p))}>
                Choose…
              </button>
            ) : null}
          </div>
        </label>
        <label className="check">
          <input type="checkbox" checked={copyChecked} onChange={(e) => setCopy(e.target.checked)} data-testid="import-copy" /> Copy the photos into the catalog (so the card can be wiped)
        </label>
        <div className="row">
          <button className="primary" type="submit" disabled={active || (!splitPaths(paths).length && !labels.trim())} data-testid="import-start">
            Import
          </button>
          {active ? (
            <button type="button" className="secondary" onClick={() => void act(() => api().request('jobs.cancel', { id: job.id }))} data-testid="import-cancel">
              Cancel
            </button>
          ) : null}
        </div>
        {startError ? (
          <p className="error" role="alert" data-testid="import-error">
            {startError}
          </p>
        ) : null}
      </form>

      {interrupted.length && !active ? (
        <div className="import-status" data-testid="import-interrupted">
          {interrupted.map((j) => (
            <p key={j.id}>
              An import was interrupted at {j.progress} of {j.total ?? '?'} files.{' '}
              <button className="secondary small" onClick={() => void act(() => api().request('jobs.resume', { id: j.id }))}>
                Resume it
              </button>
            </p>
          ))}
        </div>
      ) : null}

      {job ? <ImportStatus job={job} /> : null}

      <h2>Photos</h2>
      <PhotoGrid onOpen={setOpenPhoto} />
      {openPhoto !== null ? <PhotoView photoId={openPhoto} onClose={() => setOpenPhoto(null)} /> : null}
    </div>
  );
}

function ImportStatus({ job }: { job: JobInfo }) {
  const pct = job.total ? Math.round((job.progress / job.total) * 100) : 0;
  const report = doneResult(job, 'import');
  return (
    <section className="import-status" data-testid="import-status" data-state={job.state} aria-live="polite">
      {job.state === 'running' || job.state === 'queued' ? (
        <>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={job.total ?? 0} aria-valuenow={job.progress} data-testid="import-progress">
            <div style={{ width: `${pct}%` }} />
          </div>
          <p className="muted small">
            {job.progress} of {job.total ?? '…'} files{job.message ? ` · ${job.message}` : ''}
          </p>
        </>
      ) : null}
      {job.state === 'cancelled' ? <p className="muted">Import cancelled after {job.progress} files; the photos imported so far are kept. Import the same folders again to finish.</p> : null}
      {job.state === 'failed' ? <p className="error">Import failed: {job.error}</p> : null}
      {report ? <ImportSummary report={report} /> : null}
    </section>
  );
}

function ImportSummary({ report }: { report: ImportReport }) {
  // Photos and label rows are different things: counted, and listed, apart.
  const files = report.failed.filter((f) => f.labelRow === undefined);
  const rows = report.failed.filter((f) => f.labelRow !== undefined);
  const items: Array<[string, number, string]> = [
    ['imported', report.imported, 'Photos imported'],
    ['duplicates', report.duplicates, 'Already in catalog'],
    ...(report.labels ? [['labels', report.labels.identified, 'Labels applied'] as [string, number, string]] : []),
    ['withTime', report.withTime, 'With capture time'],
    ['withGps', report.withGps, 'With GPS'],
    ['encounters', report.encounters, 'Encounters'],
    ['failed', files.length, 'Files not imported'],
  ];
  const cut = (key: 'failed' | 'outside') => {
    const t = report.truncated?.[key];
    return t ? <p className="muted small">The first {t.shown} of {t.total}; the full list is in <code>{t.file}</code>.</p> : null;
  };
  return (
    <div data-testid="import-summary">
      <div className="summary-grid">
        {items.map(([k, v, label]) => (
          <div className="stat" key={k} data-testid={`import-${k}`}>
            <span className="stat-value">{v}</span>
            <span className="stat-label">{label}</span>
          </div>
        ))}
      </div>
      {report.relinked ? <p className="muted small">{report.relinked} moved photo(s) re-linked to their new place.</p> : null}
      {report.proposed ? (
        <p className="muted small" data-testid="import-proposed">
          {report.proposed} photo(s) got a proposed box around the animal (dashed in Photos): matching uses it until you accept or move it.
        </p>
      ) : null}
      {report.labels ? (
        <p className="muted small">
          Labels: {report.labels.rows} rows, {report.labels.identified} identities applied (to new and already imported photos),{' '}
          {report.labels.individualsCreated} new individuals{rows.length ? `, ${rows.length} rows refused` : ''}.
        </p>
      ) : null}
      {report.outside?.length ? (
        <>
          <h3>Photos from outside the chosen folders</h3>
          <p className="muted small">The labels file named these; they were imported.</p>
          <ul className="failures" data-testid="import-outside">
            {report.outside.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
          {cut('outside')}
        </>
      ) : null}
      {cut('failed')}
      <FailureList title="Files not imported" testId="import-failures" items={files} />
      <FailureList title="Label rows refused" testId="import-label-failures" items={rows} />
    </div>
  );
}

function FailureList({ title, testId, items }: { title: string; testId: string; items: ImportReport['failed'] }) {
  if (!items.length) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul className="failures" data-testid={testId}>
        {items.map((f, i) => (
          <li key={i}>
            <code>{f.file}</code>: {f.error}
          </li>
        ))}
      </ul>
    </>
  );
}
