import { useState } from 'react';
import type { Annotation, Box } from '../../../electron/contract';
import { bodyParts, sides } from '../../../electron/contract';
import { api } from '../api/bridge';
import { useAction, useRequest } from '../api/queries';
import { BoxEditor } from './BoxEditor';

export interface PhotoViewProps {
  photoId: number;
  /** Hide editing (e.g. a candidate's photo on the review screen). */
  readOnly?: boolean;
  onClose?(): void;
}

const INVALIDATES = ['photos', 'annotations', 'catalog.summary'];

/**
 * One photo with its annotations: draw, move, resize and delete boxes and set each one's side,
 * body part and quality. Self-contained (fetches by id), so any screen can show it.
 */
export function PhotoView({ photoId, readOnly, onClose }: PhotoViewProps) {
  const { data: photo, error, isLoading } = useRequest('photos.get', { id: photoId });
  const [selected, setSelected] = useState<number | null>(null);
  const create = useAction('annotations.create', INVALIDATES);
  const update = useAction('annotations.update', INVALIDATES);
  const remove = useAction('annotations.delete', INVALIDATES);
  const accept = useAction('annotations.accept', INVALIDATES);
  const failure = create.error ?? update.error ?? remove.error ?? accept.error;

  if (isLoading) return <p className="muted">Loading photo…</p>;
  if (error || !photo) return <p className="error">Could not load photo {photoId}: {error?.message}</p>;
  const current = photo.annotationList.find((a) => a.id === selected) ?? null;

  const onCreate = (box: Box) =>
    create.mutate({ photoId, box }, { onSuccess: (a) => setSelected(a.id) });
  const onChange = (id: number, box: Box) => update.mutate({ id, box });
  const onDelete = (id: number) => remove.mutate({ id }, { onSuccess: () => setSelected(null) });
  const setField = (a: Annotation, patch: { side?: string | null; bodyPart?: string; quality?: number | null }) => update.mutate({ id: a.id, ...patch });

  return (
    <section className="photo-view" data-testid="photo-view" aria-label={`Photo ${photo.originalName}`}>
      <header className="photo-view-head">
        <div>
          <strong>{photo.originalName}</strong>
          <span className="muted small">
            {' '}
            · {photo.width} x {photo.height}
            {photo.takenAt ? ` · ${photo.takenAt.replace('T', ' ')}` : ' · no capture time'}
            {photo.latitude !== null && photo.longitude !== null ? ` · ${photo.latitude.toFixed(4)}, ${photo.longitude.toFixed(4)}` : ''}
            {photo.cameraModel ? ` · ${photo.cameraModel}` : ''}
            {photo.missing ? ' · file missing' : ''}
          </span>
        </div>
        {onClose ? (
          <button className="secondary" onClick={onClose} data-testid="photo-view-close">
            Close
          </button>
        ) : null}
      </header>
      <div className="photo-view-body">
        <BoxEditor
          src={api().mediaUrl('preview', photoId)}
          alt={photo.originalName}
          width={photo.width}
          height={photo.height}
          boxes={photo.annotationList.map((a) => ({ id: a.id, x: a.x, y: a.y, w: a.w, h: a.h, label: a.individualCode, proposed: a.source === 'proposed' }))}
          selectedId={selected}
          onSelect={setSelected}
          onCreate={onCreate}
          onChange={onChange}
          onDelete={onDelete}
          readOnly={readOnly}
        />
        <aside className="annotation-list">
          {!readOnly ? <p className="muted small">Drag on the photo to draw a box around one animal. Click a box to select it; then drag it to move it or its corners to resize it; Delete removes it. A dashed box was proposed by Caudal: accept it or move it.</p> : null}
          {failure ? <p className="error" role="alert">{failure.message}</p> : null}
          <ol>
            {photo.annotationList.map((a, i) => (
              <li key={a.id} className={a.id === selected ? 'annotation selected' : 'annotation'} data-testid={`annotation-${a.id}`} onClick={() => setSelected(a.id)}>
                <div className="annotation-title">
                  Box {i + 1} {a.individualCode ? <span className="tag">{a.individualCode}</span> : <span className="muted small">unidentified</span>}
                  {a.source === 'proposed' ? (
                    <span className="tag" data-testid="annotation-proposed" title="Placed by Caudal around the animal; matching uses it until you accept or move it">
                      proposed
                    </span>
                  ) : null}
                </div>
                <div className="muted small">
                  {Math.round(a.x)}, {Math.round(a.y)} · {Math.round(a.w)} x {Math.round(a.h)}
                </div>
                <div className="annotation-fields">
                  <label>
                    Body part
                    <select value={a.bodyPart} disabled={readOnly} data-testid="field-bodyPart" onChange={(e) => setField(a, { bodyPart: e.target.value })}>
                      {[...new Set([...bodyParts, a.bodyPart])].map((b) => (
                        <option key={b} value={b}>
                          {b}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    Side
                    <select value={a.side ?? ''} disabled={readOnly} data-testid="field-side" onChange={(e) => setField(a, { side: e.target.value || null })}>
                      <option value="">—</option>
                      {[...new Set([...sides, ...(a.side ? [a.side] : [])])].map((s) => (
                        <option key={s} value={s}>
                          {s}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    Quality
                    <select
                      value={a.quality ?? ''}
                      disabled={readOnly}
                      data-testid="field-quality"
                      onChange={(e) => setField(a, { quality: e.target.value ? Number(e.target.value) : null })}
                    >
                      <option value="">—</option>
                      {[1, 2, 3, 4, 5].map((q) => (
                        <option key={q} value={q}>
                          {q}
                        </option>
                      ))}
                    </select>
                  </label>
                </div>
                {!readOnly && a.source === 'proposed' ? (
                  <button className="small" data-testid="annotation-accept" onClick={(e) => (e.stopPropagation(), accept.mutate({ id: a.id }))}>
                    Accept box
                  </button>
                ) : null}
                {!readOnly ? (
                  <button className="secondary small" data-testid="annotation-delete" onClick={(e) => (e.stopPropagation(), onDelete(a.id))}>
                    Delete box
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
        </aside>
      </div>
    </section>
  );
}
