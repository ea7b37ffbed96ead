import { useState } from 'react';
import type { ConflictResolution, MergeConflict } from '../../../electron/contract';
import { api } from '../api/bridge';
import { useAction, useRequest } from '../api/queries';

const choices: Record<MergeConflict['kind'], Array<[ConflictResolution, string]>> = {
  annotation: [
    ['keep-local', 'Keep this catalog’s identification'],
    ['take-incoming', 'Take the incoming identification'],
  ],
  code: [
    ['same-animal', 'Same animal: fuse them'],
    ['different-animals', 'Different animals: keep both'],
  ],
  attribute: [
    ['keep-local', 'Keep this catalog’s value'],
    ['take-incoming', 'Take the incoming value'],
  ],
};

/** What the merge saw, so the person can judge; similarity is a hint, never the decision. */
function CodeEvidence({ d }: { d: Record<string, unknown> }) {
  const sim = d.bestSimilarity as { model: string; cosine: number } | null | undefined;
  return (
    <p className="muted small">
      {String(d.localPhotos ?? '?')} photos here, {String(d.incomingPhotos ?? '?')} incoming
      {sim ? ` · best embedding similarity ${sim.cosine.toFixed(2)} (${sim.model})` : ''}
    </p>
  );
}

function ConflictRow({ c }: { c: MergeConflict }) {
  const resolve = useAction('conflicts.resolve', ['conflicts', 'individuals', 'annotations']);
  const [newCode, setNewCode] = useState('');
  return (
    <li className="conflict" data-testid={`conflict-${c.id}`} data-kind={c.kind}>
      {c.photoId !== null && <img className="conflict-thumb" src={api().mediaUrl('thumb', c.photoId)} alt="" width={96} />}
      <div>
        <p>{c.summary}</p>
        <p className="muted small">from {c.source}</p>
        {c.kind === 'code' && <CodeEvidence d={c.details} />}
        <div className="row">
          {c.kind === 'code' && (
            <input aria-label="new code for the incoming individual" placeholder={`new code (now ${c.incoming.code})`} value={newCode} onChange={(e) => setNewCode(e.target.value)} />
          )}
          {choices[c.kind].map(([resolution, label]) => (
            <button
              key={resolution}
              className="secondary"
              disabled={resolve.isPending}
              onClick={() => resolve.mutate({ id: c.id, resolution, ...(resolution === 'different-animals' && newCode.trim() ? { newCode: newCode.trim() } : {}) })}
            >
              {label}
            </button>
          ))}
        </div>
        {resolve.error && <p className="error">{resolve.error.message}</p>}
      </div>
    </li>
  );
}

/** Open merge conflicts, each with the choices that fit it; nothing changes until a person picks one. */
export function ConflictsView() {
  const { data, error, isLoading } = useRequest('conflicts.list', { state: 'open' });
  if (isLoading) return <p className="muted">Loading conflicts…</p>;
  if (error) return <p className="error">{error.message}</p>;
  if (!data?.length) return <p className="muted" data-testid="no-conflicts">No open conflicts.</p>;
  return (
    <ul className="conflicts" data-testid="conflicts" aria-label="Merge conflicts">
      {data.map((c) => (
        <ConflictRow key={c.id} c={c} />
      ))}
    </ul>
  );
}
