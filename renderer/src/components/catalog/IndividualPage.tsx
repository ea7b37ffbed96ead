import { useEffect, useState } from 'react';
import type { DecisionInfo } from '../../../../electron/contract';
import { useAction, useRequest } from '../../api/queries';
import { CropImage } from '../CropImage';
import { formatDate } from '../format';
import { SightingsMap } from '../map/SightingsMap';
import { SightingsTimeline } from './SightingsTimeline';

const INVALIDATES = ['individuals', 'review', 'catalog'];

/** One individual: its photos, its encounters over time and its decision history; rename, merge, split. */
export function IndividualPage({ id, onBack, onOpen }: { id: number; onBack(): void; onOpen(id: number): void }) {
  const page = useRequest('individuals.get', { id });
  const sightings = useRequest('sightings.list', { individualId: id }, { staleTime: 0 });
  const rename = useAction('individuals.rename', INVALIDATES);
  const merge = useAction('individuals.merge', INVALIDATES);
  const split = useAction('individuals.split', INVALIDATES);
  const undo = useAction('review.undo', INVALIDATES);
  const [name, setName] = useState('');
  const [mergeWith, setMergeWith] = useState('');
  const [splitTo, setSplitTo] = useState('');
  const [message, setMessage] = useState<{ text: string; undo?: number } | null>(null);
  const found = useRequest('individuals.list', { search: mergeWith, limit: 8 }, { enabled: mergeWith.length > 0 });
  const splitFound = useRequest('individuals.list', { search: splitTo, limit: 8 }, { enabled: splitTo.length > 0 });
  const ind = page.data?.individual;
  useEffect(() => setName(ind?.name ?? ''), [ind?.name]);
  if (page.error) return <p className="error">{page.error.message}</p>;
  if (!page.data || !ind) return <p className="muted">Loading…</p>;
  const { photos, encounters, history } = page.data;
  const fail = (e: Error) => setMessage({ text: e.message });
  const target = found.data?.items.find((i) => i.code.toLowerCase() === mergeWith.trim().toLowerCase() && i.id !== id);
  const splitTarget = splitFound.data?.items.find((i) => i.code.toLowerCase() === splitTo.trim().toLowerCase() && i.id !== id);
  const latestOpen = history.find((h) => !h.undoneAt);
  return (
    <div className="individual-page" data-testid="individual-page">
      <div className="ip-head">
        <button className="secondary" onClick={onBack} data-testid="back-to-grid">
          ← All individuals
        </button>
        <h2>
          {ind.code} {ind.name && <span className="muted">· {ind.name}</span>}
        </h2>
        {ind.mergedInto != null && (
          <button className="secondary" onClick={() => onOpen(ind.mergedInto!)}>
            merged into {ind.mergedIntoCode} — open it
          </button>
        )}
        <span className="muted small">
          {photos.length} photos · {encounters.length} sightings · since {formatDate(encounters[0]?.start)}
        </span>
      </div>
      {ind.mergedInto == null && (
      <div className="ip-tools">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            rename.mutate({ id, name }, { onSuccess: (r) => setMessage({ text: `Renamed to “${name || '(no name)'}”.`, undo: r.decision?.id }), onError: fail });
          }}
        >
          <label>
            Name <input value={name} onChange={(e) => setName(e.target.value)} data-testid="rename-input" placeholder="no name" />
          </label>
          <button className="secondary" type="submit">
            Rename
          </button>
        </form>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (target)
              merge.mutate(
                { sourceId: id, targetId: target.id },
                { onSuccess: (r) => setMessage({ text: `${ind.code} merged into ${target.code} (${r.decisions.length} photos moved).`, undo: r.decisions[0]?.id }), onError: fail },
              );
          }}
        >
          <label>
            Merge into <input list="merge-list" value={mergeWith} onChange={(e) => setMergeWith(e.target.value)} placeholder="code, e.g. HW-0042" data-testid="merge-input" />
          </label>
          <datalist id="merge-list">{found.data?.items.filter((i) => i.id !== id).map((i) => <option key={i.id} value={i.code}>{i.name ?? ''}</option>)}</datalist>
          <button className="secondary" type="submit" disabled={!target}>
            Merge
          </button>
        </form>
        <label className="split-to">
          Split photos to <input list="split-list" value={splitTo} onChange={(e) => setSplitTo(e.target.value)} placeholder="new individual" />
          <datalist id="split-list">{splitFound.data?.items.filter((i) => i.id !== id).map((i) => <option key={i.id} value={i.code}>{i.name ?? ''}</option>)}</datalist>
        </label>
      </div>
      )}
      {message && (
        <p className="notice" data-testid="individual-message">
          {message.text}{' '}
          {message.undo != null && (
            <button className="link" onClick={() => undo.mutate({ decisionId: message.undo }, { onSuccess: () => setMessage({ text: 'Undone.' }), onError: fail })}>
              Undo
            </button>
          )}
        </p>
      )}
      <div className="ip-where">
        <section>
          <h3>Where it was seen</h3>
          <SightingsMap sightings={sightings.data?.items ?? []} tracks testId="individual-map" />
        </section>
        <section>
          <h3>Sightings over time</h3>
          <SightingsTimeline sightings={sightings.data?.items ?? []} />
        </section>
      </div>
      <h3>Photos</h3>
      <div className="ip-photos">
        {photos.map((p) => (
          <figure key={p.annotationId} className="ip-photo">
            <CropImage view={p} width={220} height={92} alt={p.originalName} />
            <figcaption className="small">
              {formatDate(p.takenAt)} · {p.encounterCode ?? 'no encounter'}
              {p.side ? ` · ${p.side}` : ''}
              <button
                className="link"
                disabled={Boolean(splitTo) && !splitTarget}
                title={splitTarget ? `Move this photo to ${splitTarget.code}` : 'Move this photo to a new individual'}
                onClick={() =>
                  split.mutate(
                    { annotationId: p.annotationId, toIndividualId: splitTarget?.id },
                    { onSuccess: (r) => setMessage({ text: `${p.originalName} moved to ${r.individual?.code}.`, undo: r.decision.id }), onError: fail },
                  )
                }
              >
                split → {splitTarget?.code ?? 'new'}
              </button>
            </figcaption>
          </figure>
        ))}
      </div>
      <div className="ip-history">
        <section>
          <h3>Decision history</h3>
          <table className="history" data-testid="history">
            <thead>
              <tr>
                <th>When</th>
                <th>Decision</th>
                <th>Individual</th>
                <th>Reviewer</th>
                <th>Model · rank · score</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <HistoryRow key={h.id} h={h} canUndo={h.id === latestOpen?.id} onUndo={() => undo.mutate({ decisionId: h.id }, { onError: fail })} />
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}

function HistoryRow({ h, canUndo, onUndo }: { h: DecisionInfo; canUndo: boolean; onUndo(): void }) {
  return (
    <tr className={h.undoneAt ? 'undone' : undefined}>
      <td>{formatDate(h.createdAt, true)}</td>
      <td>{h.decision}</td>
      <td>{h.individualCode ?? '—'}</td>
      <td>{h.reviewer ?? '—'}</td>
      <td className="muted">
        {h.modelId ?? '—'}
        {h.rank != null ? ` · #${h.rank}` : ''}
        {h.score != null ? ` · ${h.score.toFixed(3)}` : ''}
      </td>
      <td>{h.undoneAt ? <span className="muted small">undone</span> : canUndo ? <button className="link" onClick={onUndo}>undo</button> : null}</td>
    </tr>
  );
}
