import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { AnnotationView } from '../../../../electron/contract';
import { api } from '../../api/bridge';
import { useCompareView } from '../../stores/compare-view';

/**
 * A large photo framed on its annotation box. Zoom and pan come from the shared compare store,
 * so the query and the candidate move together; wheel zooms around the cursor, drag pans.
 */
export function Viewer({ view, role, label, testId }: { view: AnnotationView; role: 'query' | 'candidate'; label: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 800, h: 360 });
  const c = useCompareView();
  const [loadedSrc, setLoadedSrc] = useState<string | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([e]) => setSize({ w: e.contentRect.width, h: e.contentRect.height }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const b = view.box;
  const s = Math.min(size.w / (b.w * 1.08), size.h / (b.h * 1.08)) * c.zoom;
  const cx = (b.x + b.w / 2) * s;
  const cy = (b.y + b.h / 2) * s;
  const candidate = role === 'candidate';
  const transform = candidate ? `rotate(${c.rotate}deg) scaleX(${c.flip ? -1 : 1})` : undefined;
  const src = api().mediaUrl(c.full ? 'full' : 'preview', view.photoId);
  const drag = useRef<{ x: number; y: number } | null>(null);
  return (
    <div
      className={`viewer viewer-${role}`}
      ref={ref}
      data-testid={testId}
      data-annotation-id={view.annotationId}
      onWheel={(e) => {
        const r = e.currentTarget.getBoundingClientRect();
        c.zoomBy(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left - r.width / 2, e.clientY - r.top - r.height / 2);
      }}
      onPointerDown={(e) => {
        drag.current = { x: e.clientX, y: e.clientY };
        e.currentTarget.setPointerCapture?.(e.pointerId);
      }}
      onPointerMove={(e) => {
        if (!drag.current) return;
        c.panBy(e.clientX - drag.current.x, e.clientY - drag.current.y);
        drag.current = { x: e.clientX, y: e.clientY };
      }}
      onPointerUp={() => (drag.current = null)}
      onDoubleClick={() => c.reset()}
    >
      <img
        key={view.photoId}
        src={src}
        alt={role === 'query' ? 'query photo' : 'candidate photo'}
        draggable={false}
        data-loaded={loadedSrc === src ? '1' : undefined}
        onLoad={() => setLoadedSrc(src)}
        style={{
          width: view.width * s,
          height: view.height * s,
          left: size.w / 2 + c.panX - cx,
          top: size.h / 2 + c.panY - cy,
          transformOrigin: `${cx}px ${cy}px`,
          transform,
          filter: c.brightness !== 1 || c.contrast !== 1 ? `brightness(${c.brightness}) contrast(${c.contrast})` : undefined,
        }}
      />
      <div className="viewer-label">{label}</div>
      {c.full && <div className="viewer-badge">full resolution</div>}
    </div>
  );
}
