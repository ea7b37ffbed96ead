import { useEffect, useRef } from 'react';
import { CropImage } from '../CropImage';
import { keyOf, type Entry } from './entries';
import { formatDate } from '../format';

/** The ranked candidates: best-matching photo, a strip of the individual's others, the score. */
export function CandidateList({ entries, selected, photo, onSelect }: { entries: Entry[]; selected: number | null; photo: number; onSelect(i: number, photo?: number): void }) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [selected, entries]);
  return (
    <ol className="candidates" ref={list} role="listbox" aria-label="Candidates">
      {entries.map((e, i) => {
        const key = keyOf(e);
        const isSel = i === selected;
        if (e.kind === 'new') {
          return (
            <li key="new" role="option" aria-selected={isSel} className={`cand cand-new${isSel ? ' selected' : ''}`} data-testid="candidate-new" onClick={() => onSelect(i)}>
              <span className="cand-key">{key}</span>
              <div className="cand-new-body">
                <div className="cand-title">New individual</div>
                <div className="muted small" data-testid="new-probability">
                  Not in the catalog{e.calibrated ? ` · p ≈ ${e.probability.toFixed(2)}` : ''} · gets the next catalog code
                </div>
                {!e.calibrated && e.note && (
                  <div className="muted small" data-testid="new-note" title={`The catalog's own rate of new animals (${e.probability.toFixed(2)}) is all there is to go on.`}>
                    No estimate: {e.note}
                  </div>
                )}
              </div>
            </li>
          );
        }
        const c = e.candidate;
        return (
          <li
            key={c.individualId}
            role="option"
            aria-selected={isSel}
            className={`cand${isSel ? ' selected' : ''}`}
            data-testid={`candidate-${c.rank}`}
            data-individual-id={c.individualId}
            onClick={() => onSelect(i)}
          >
            <span className="cand-key">{key}</span>
            <div className="cand-body">
              <div className="cand-head">
                <span className="cand-code">{c.code}</span>
                {c.name && <span className="cand-name">{c.name}</span>}
                {c.probability !== undefined && (
                  <span className="cand-prob muted small" title="calibrated probability that the query is this individual">
                    p ≈ {c.probability.toFixed(2)}
                  </span>
                )}
                <span className="cand-score" title="cosine similarity of the best-matching photo">
                  <span className="score-track">
                    <span className="score-bar" style={{ width: `${Math.max(0, Math.min(1, c.score)) * 100}%` }} />
                  </span>
                  <span className="score-num">{c.score.toFixed(3)}</span>
                </span>
              </div>
              <div className="cand-photos">
                <span className={`strip-item best${isSel && photo === 0 ? ' shown' : ''}`} onClick={(ev) => (ev.stopPropagation(), onSelect(i, 0))}>
                  <CropImage view={c.best} width={196} height={74} alt={`${c.code} best match`} />
                </span>
                <div className="cand-strip">
                  {c.others.map((o, k) => (
                    <span
                      key={o.annotationId}
                      className={`strip-item${isSel && photo === k + 1 ? ' shown' : ''}`}
                      title={`Compare with this photo (${formatDate(o.takenAt)})`}
                      onClick={(ev) => {
                        ev.stopPropagation();
                        onSelect(i, k + 1);
                      }}
                    >
                      <CropImage view={o} width={56} height={34} alt={`${c.code} photo`} />
                    </span>
                  ))}
                  {c.photoCount > c.others.length + 1 && <span className="strip-more">+{c.photoCount - c.others.length - 1}</span>}
                </div>
              </div>
              <div className="cand-meta muted small">
                {c.photoCount} photo{c.photoCount === 1 ? '' : 's'} · best {formatDate(c.best.takenAt)}
                {c.best.encounterCode ? ` · ${c.best.encounterCode}` : ''}
              </div>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
