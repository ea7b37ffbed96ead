import { CandidateList } from '../components/review/CandidateList';
import { CompareToolbar } from '../components/review/CompareToolbar';
import { EncounterToggle } from '../components/review/EncounterToggle';
import { ShortcutHelp } from '../components/review/ShortcutHelp';
import { useReviewFlow } from '../components/review/useReviewFlow';
import { useReviewKeys } from '../components/review/useReviewKeys';
import { Viewer } from '../components/review/Viewer';
import { formatDate } from '../components/format';
import { useRequest } from '../api/queries';
import { useNavigation } from '../stores/navigation';
import { useReviewSession } from '../stores/review-session';

/** The review workbench: the query large, its ranked candidates beside it, decided by keyboard. */
const query0BodyPart = (q: { bodyPart: string } | undefined): string => q?.bodyPart ?? '';

export function ReviewScreen() {
  const flow = useReviewFlow();
  useReviewKeys(flow);
  const s = useReviewSession();
  const settings = useRequest('settings.get', {});
  const go = useNavigation((n) => n.go);
  const { queue, shown, entries, selected, actions, item, currentId, index, remaining, items } = flow;
  const q = queue.data;
  const total = q ? q.done + q.left : 0;
  const sel = selected == null ? undefined : entries[selected];
  // The catalog's body part (a setting; unset until asked, never a whale default), else the query's own.
  const bodyPart = typeof settings.data?.bodyPart === 'string' && settings.data.bodyPart ? settings.data.bodyPart : query0BodyPart(shown?.query ?? items.find((i) => i.annotationId === currentId));
  // The queue already knows the query's photo and box: show it while the ranking is computed.
  const query = shown?.query ?? items.find((i) => i.annotationId === currentId);
  const selPhotos = sel?.kind === 'candidate' ? [sel.candidate.best, ...sel.candidate.others] : [];
  const comparePhoto = selPhotos[Math.min(s.photo, selPhotos.length - 1)];
  return (
    <div className="screen review" data-testid="screen-review">
      <header className="review-bar">
        <h1>Review</h1>
        <div className="review-progress" data-testid="review-progress" data-done={q?.done} data-left={q?.left}>
          {q ? (
            <>
              <span className="progress-track">
                <span className="progress-fill" style={{ width: `${total ? (100 * q.done) / total : 0}%` }} />
              </span>
              <span>
                <b>{q.done + (q.left - remaining)}</b> identified · <b>{remaining}</b> left{q.skipped ? ` (${q.skipped} skipped)` : ''}
              </span>
              <span className="muted">· order: {q.order === 'confidence' ? 'match confidence' : 'encounter & time'}</span>
            </>
          ) : (
            <span className="muted">loading queue…</span>
          )}
        </div>
        {settings.data && !settings.data.reviewer && (
          <button className="link warn small" onClick={() => go('settings')} data-testid="no-reviewer">
            No reviewer name: decisions are logged anonymously. Set it in Settings
          </button>
        )}
        <button className="secondary small-btn" onClick={() => s.setHelp(true)} title="Keyboard shortcuts (?)">
          ? Shortcuts
        </button>
      </header>
      {queue.error && <p className="error">Could not read the queue: {queue.error.message}</p>}
      {q && currentId == null && (
        <div className="empty" data-testid="review-empty">
          <h2>Queue done</h2>
          <p className="muted">Every annotation has an individual. Import more photos or check the catalog.</p>
        </div>
      )}
      {currentId != null && (
        <div className="workbench">
          <section className="compare">
            {query ? (
              <>
                <Viewer
                  view={query}
                  role="query"
                  testId="review-query"
                  label={
                    <>
                      <b>Query</b> <span data-testid="query-counter">{index >= 0 ? `${index + 1}/${remaining}` : ''}</span> · {query.originalName} · {formatDate(query.takenAt, true)}
                      {query.encounterCode ? ` · ${query.encounterCode}` : ''} · <span data-testid="query-body-part">{bodyPart || 'body part not set'}</span>
                      {query.side ? ` (${query.side})` : ' (side not set)'}
                    </>
                  }
                />
                {sel?.kind === 'candidate' && comparePhoto ? (
                  <Viewer
                    view={comparePhoto}
                    role="candidate"
                    testId="review-compare"
                    label={
                      <>
                        <b>{sel.candidate.code}</b>
                        {sel.candidate.name ? ` ${sel.candidate.name}` : ''} · rank {sel.candidate.rank} · score {sel.candidate.score.toFixed(3)} ·{' '}
                        {s.photo === 0 ? 'best match' : `photo ${s.photo + 1}/${selPhotos.length}`} · {comparePhoto.originalName} · {formatDate(comparePhoto.takenAt)}
                        {comparePhoto.encounterCode ? ` · ${comparePhoto.encounterCode}` : ''}
                      </>
                    }
                  />
                ) : !shown ? (
                  <div className="viewer viewer-placeholder">
                    {item.error ? <span className="error">{item.error.message}</span> : <span className="muted">ranking candidates…</span>}
                  </div>
                ) : sel?.kind === 'new' ? (
                  <div className="viewer viewer-placeholder" data-testid="review-compare">
                    <div>
                      <div className="big">New individual</div>
                      <div className="muted">Enter or N creates it with the next catalog code.</div>
                    </div>
                  </div>
                ) : (
                  <div className="viewer viewer-placeholder" data-testid="review-compare">
                    <div>
                      <div className="big">No candidate</div>
                      <div className="muted">{s.anySide ? 'Nothing in the catalog to compare with.' : 'None of this side and body part: show all sides, or N for a new individual.'}</div>
                    </div>
                  </div>
                )}
                <CompareToolbar />
              </>
            ) : (
              <div className="viewer viewer-placeholder">{item.error ? <span className="error">{item.error.message}</span> : <span className="muted">loading…</span>}</div>
            )}
          </section>
          <aside className="side">
            {shown?.matchError && <p className="warn small">No ranking: {shown.matchError}</p>}
            <label className="small side-filter" title="Candidates are compared like with like: the query's side and body part">
              <input type="checkbox" data-testid="same-side-toggle" checked={!s.anySide} onChange={(e) => s.setAnySide(!e.target.checked)} /> Only {query?.side ? `${query.side} ` : ''}
              {bodyPart}
              {query && !query.side ? ' (the query has no side: every side is shown)' : ''}
            </label>
            <EncounterToggle mates={shown?.encounterMates ?? 0} />
            <CandidateList entries={entries} selected={selected} photo={s.photo} onSelect={s.select} />
            <div className="actions">
              <button className="primary" disabled={!sel || s.busy} onClick={() => void actions.confirm(sel)} data-testid="action-confirm">
                Confirm <kbd>Enter</kbd>
              </button>
              <button className="secondary" disabled={sel?.kind !== 'candidate' || s.busy} onClick={() => void actions.reject(sel)}>
                Reject <kbd>X</kbd>
              </button>
              <button className="secondary" disabled={s.busy} onClick={() => void actions.newIndividual()}>
                New <kbd>N</kbd>
              </button>
              <button className="secondary" disabled={s.busy} onClick={() => void actions.skip()}>
                Skip <kbd>S</kbd>
              </button>
              <button className="secondary" disabled={s.busy} onClick={() => void actions.undo()}>
                Undo <kbd>Ctrl+Z</kbd>
              </button>
            </div>
          </aside>
        </div>
      )}
      <footer className={`status ${s.last?.kind ?? ''}`} data-testid="review-status" role="status">
        {s.last?.text ?? 'Keys: 1–9, 0 select by rank · Enter confirm · X reject · N new · S skip · Ctrl+Z undo · ? all shortcuts'}
      </footer>
      {s.helpOpen && <ShortcutHelp onClose={() => s.setHelp(false)} />}
    </div>
  );
}
