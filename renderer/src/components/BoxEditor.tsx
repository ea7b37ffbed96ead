import { useCallback, useEffect, useRef, useState } from 'react';
import type { Box } from '../../../electron/contract';
import './photo.css';

export interface EditorBox extends Box {
  id: number;
  /** Short text drawn on the box (e.g. the individual's code). */
  label?: string | null;
  /** Placed by Caudal, not yet accepted or moved by a person: drawn dashed. */
  proposed?: boolean;
}

export interface BoxEditorProps {
  /** The image, any size: boxes are in the photo's own pixels (`width` x `height`, as displayed). */
  src: string;
  width: number;
  height: number;
  boxes: EditorBox[];
  selectedId?: number | null;
  onSelect?(id: number | null): void;
  onCreate?(box: Box): void;
  onChange?(id: number, box: Box): void;
  onDelete?(id: number): void;
  readOnly?: boolean;
  alt?: string;
}

type Handle = 'nw' | 'ne' | 'sw' | 'se';
type Drag =
  | { kind: 'draw'; start: Pt; box: Box; under: number | null }
  | { kind: 'move'; id: number; start: Pt; orig: Box; box: Box }
  | { kind: 'resize'; id: number; handle: Handle; orig: Box; box: Box };
interface Pt {
  x: number;
  y: number;
}

/** Smaller than this (photo pixels, either side) is a click, not a box. */
const MIN_SIDE = 4;

/**
 * Draw, move, resize and delete boxes on a photo. Everything is in the photo's pixel space, so
 * the image can be any rendition (thumbnail, preview, full) and any on-screen size. Pointer
 * events work for mouse, pen and touch; Delete/Backspace removes the selected box.
 */
export function BoxEditor(props: BoxEditorProps) {
  const { src, width, height, boxes, selectedId = null, onSelect, onCreate, onChange, onDelete, readOnly, alt } = props;
  const svgRef = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);

  const toPhoto = useCallback(
    (e: { clientX: number; clientY: number }): Pt => {
      const r = svgRef.current!.getBoundingClientRect();
      const x = r.width ? ((e.clientX - r.left) / r.width) * width : 0;
      const y = r.height ? ((e.clientY - r.top) / r.height) * height : 0;
      return { x: clamp(x, 0, width), y: clamp(y, 0, height) };
    },
    [width, height],
  );

  const capture = (e: React.PointerEvent) => {
    const el = svgRef.current as (SVGSVGElement & { setPointerCapture?: (id: number) => void }) | null;
    if (el?.setPointerCapture && e.pointerId !== undefined) {
      try {
        el.setPointerCapture(e.pointerId);
      } catch {
        // synthetic events carry no capturable pointer
      }
    }
  };

  const startDraw = (e: React.PointerEvent, under: number | null) => {
    const p = toPhoto(e);
    capture(e);
    setDrag({ kind: 'draw', start: p, box: { x: p.x, y: p.y, w: 0, h: 0 }, under });
  };

  const onBackgroundDown = (e: React.PointerEvent) => {
    if (readOnly || e.button > 0) return;
    startDraw(e, null);
  };

  /**
   * On a selected box a drag moves it. On any other box a drag draws a new one (boxes often
   * sit inside others: the whole-image annotation covers everything) and a click selects it.
   */
  const onBoxDown = (e: React.PointerEvent, b: EditorBox) => {
    e.stopPropagation();
    if (readOnly || e.button > 0) {
      onSelect?.(b.id);
      return;
    }
    if (b.id !== selectedId) {
      startDraw(e, b.id);
      return;
    }
    capture(e);
    const orig = { x: b.x, y: b.y, w: b.w, h: b.h };
    setDrag({ kind: 'move', id: b.id, start: toPhoto(e), orig, box: orig });
  };

  const onHandleDown = (e: React.PointerEvent, b: EditorBox, handle: Handle) => {
    e.stopPropagation();
    if (readOnly || e.button > 0) return;
    capture(e);
    const orig = { x: b.x, y: b.y, w: b.w, h: b.h };
    setDrag({ kind: 'resize', id: b.id, handle, orig, box: orig });
  };

  const onMove = (e: React.PointerEvent) => {
    if (!drag) return;
    const p = toPhoto(e);
    if (drag.kind === 'draw') setDrag({ ...drag, box: spanBox(drag.start, p) });
    else if (drag.kind === 'move') {
      const x = clamp(drag.orig.x + p.x - drag.start.x, 0, width - drag.orig.w);
      const y = clamp(drag.orig.y + p.y - drag.start.y, 0, height - drag.orig.h);
      setDrag({ ...drag, box: { ...drag.orig, x, y } });
    } else {
      const { orig, handle } = drag;
      // The corner opposite the handle stays put.
      const fixed = { x: handle.includes('w') ? orig.x + orig.w : orig.x, y: handle.includes('n') ? orig.y + orig.h : orig.y };
      setDrag({ ...drag, box: spanBox(fixed, p) });
    }
  };

  const onUp = () => {
    if (!drag) return;
    const box = roundBox(drag.box);
    setDrag(null);
    if (drag.kind === 'draw') {
      if (box.w >= MIN_SIDE && box.h >= MIN_SIDE) onCreate?.(box);
      else onSelect?.(drag.under);
    } else if (!sameBox(box, drag.orig) && box.w >= MIN_SIDE && box.h >= MIN_SIDE) onChange?.(drag.id, box);
  };

  useEffect(() => {
    if (readOnly || selectedId === null || !onDelete) return;
    const key = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      if (e.key === 'Delete' || e.key === 'Backspace') {
        e.preventDefault();
        onDelete(selectedId);
      } else if (e.key === 'Escape') onSelect?.(null);
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [readOnly, selectedId, onDelete, onSelect]);

  const shown = boxes.map((b) => (drag && drag.kind !== 'draw' && drag.id === b.id ? { ...b, ...drag.box } : b));
  // Handles and strokes keep a constant on-screen size whatever the photo's resolution.
  const unit = Math.max(width, height) / 400;

  return (
    <div className="box-editor" data-testid="box-editor" style={{ aspectRatio: `${width} / ${height}` }}>
      <img src={src} alt={alt ?? ''} draggable={false} />
      <svg
        ref={svgRef}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        className={readOnly ? 'readonly' : 'editable'}
        data-testid="box-editor-surface"
        onPointerDown={onBackgroundDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={() => setDrag(null)}
      >
        {shown.map((b) => {
          const sel = b.id === selectedId;
          return (
            <g key={b.id} className={`box${sel ? ' selected' : ''}${b.proposed ? ' proposed' : ''}`} data-testid={`box-${b.id}`} data-box={`${Math.round(b.x)},${Math.round(b.y)},${Math.round(b.w)},${Math.round(b.h)}`}>
              <rect x={b.x} y={b.y} width={b.w} height={b.h} strokeWidth={unit * (sel ? 1.2 : 0.8)} onPointerDown={(e) => onBoxDown(e, b)} />
              {b.label ? (
                <text x={b.x + unit * 2} y={b.y + unit * 9} fontSize={unit * 8}>
                  {b.label}
                </text>
              ) : null}
              {sel && !readOnly
                ? (['nw', 'ne', 'sw', 'se'] as Handle[]).map((h) => (
                    <rect
                      key={h}
                      className={`handle handle-${h}`}
                      data-testid={`handle-${h}`}
                      x={(h.includes('w') ? b.x : b.x + b.w) - unit * 3}
                      y={(h.includes('n') ? b.y : b.y + b.h) - unit * 3}
                      width={unit * 6}
                      height={unit * 6}
                      onPointerDown={(e) => onHandleDown(e, b, h)}
                    />
                  ))
                : null}
            </g>
          );
        })}
        {drag?.kind === 'draw' ? <rect className="draft" data-testid="box-draft" x={drag.box.x} y={drag.box.y} width={drag.box.w} height={drag.box.h} strokeWidth={unit} /> : null}
      </svg>
    </div>
  );
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const spanBox = (a: Pt, b: Pt): Box => ({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y) });
const roundBox = (b: Box): Box => ({ x: Math.round(b.x), y: Math.round(b.y), w: Math.round(b.w), h: Math.round(b.h) });
const sameBox = (a: Box, b: Box) => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;
