import { useState } from 'react';
import type { Encounter } from '../../../../electron/contract';
import { useAction } from '../../api/queries';
import { formatDate } from '../format';
import { PhotoGrid } from '../PhotoGrid';

/**
 * Photos outside any encounter (no capture time, so import could not group them): tick some and
 * group them into a new encounter, or add them to one; open one to box it and set side and body part.
 */
export function UnsortedPhotos({ total, encounters, onOpen, onGrouped }: { total: number; encounters: Encounter[]; onOpen(photoId: number): void; onGrouped(encounterId: number): void }) {
  const [ticked, setTicked] = useState<Set<number>>(new Set());
  const [target, setTarget] = useState('');
  const move = useAction('encounters.movePhotos', ['encounters', 'photos', 'sightings']);
  const toggle = (id: number) =>
    setTicked((t) => {
      const n = new Set(t);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  // Awaited rather than a mutate callback: grouping the last photos unmounts this view before the
  // mutation settles, and the new encounter must still be opened.
  const go = (encounterId: number | null) =>
    move.mutateAsync({ photoIds: [...ticked], encounterId }).then(
      (e) => {
        setTicked(new Set());
        onGrouped(e.id);
      },
      () => undefined, // shown from move.error
    );
  return (
    <div className="unsorted" data-testid="unsorted">
      <div className="enc-head">
        <b>Unsorted photos</b>
        <span className="muted">
          {total} photo{total === 1 ? '' : 's'} without an encounter (no capture time to group them by)
        </span>
      </div>
      <div className="unsorted-actions">
        <span className="small" data-testid="unsorted-ticked">
          {ticked.size} ticked
        </span>
        <button className="primary small" disabled={!ticked.size || move.isPending} onClick={() => go(null)} data-testid="unsorted-group">
          Group into a new encounter
        </button>
        <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="unsorted-target" aria-label="Encounter to add the photos to">
          <option value="">add to encounter…</option>
          {encounters.map((e) => (
            <option key={e.id} value={e.id}>
              {e.code ?? `#${e.id}`} · {formatDate(e.startTime)}
            </option>
          ))}
        </select>
        <button className="secondary small" disabled={!ticked.size || !target || move.isPending} onClick={() => go(Number(target))} data-testid="unsorted-add">
          Add
        </button>
        <span className="muted small">Open a photo to box the animal and set side and body part.</span>
      </div>
      {move.error ? <p className="error small">{move.error.message}</p> : null}
      <PhotoGrid encounterId={null} onOpen={onOpen} selected={ticked} onToggle={toggle} />
    </div>
  );
}
