import { geoGraticule10, geoPath } from 'd3-geo';
import { useMemo, useRef, useState } from 'react';
import type { Sighting } from '../../../../electron/contract';
import { formatDate } from '../format';
import { useLand } from './land';
import { fitProjection, type LatLon } from './projection';
import './map.css';

const W = 720;
const H = 440;
const PALETTE = ['#3fb4c8', '#f0b429', '#c678dd', '#46c46e', '#e5534b', '#61afef', '#d19a66', '#98c379', '#ff79c6', '#8be9fd'];

export interface SightingsMapProps {
  sightings: Sighting[];
  /** Join each individual's sightings in date order: its movements. */
  tracks?: boolean;
  /** A place typed or picked elsewhere (an encounter being edited), drawn as a cross. */
  picked?: LatLon | null;
  /** Clicking the map gives its latitude and longitude (for placing an encounter). */
  onPick?(p: LatLon): void;
  testId?: string;
}

type Placed = Sighting & LatLon;
const placed = (s: Sighting): s is Placed => s.latitude != null && s.longitude != null;

/**
 * Sightings on an offline basemap: Natural Earth land (bundled) under a graticule, one marker per
 * sighting coloured by individual. The view fits the sightings; +/- and dragging zoom and pan
 * the drawing (the markers keep their size), without re-projecting.
 */
export function SightingsMap({ sightings, tracks, picked, onPick, testId = 'sightings-map' }: SightingsMapProps) {
  const land = useLand();
  const shown = sightings.filter(placed);
  // The place given when the map opened is framed; later picks are not, so a click stays where it landed.
  const [firstPick] = useState(picked ?? null);
  const fitKey = shown.map((s) => `${s.latitude},${s.longitude}`).join(';');
  const fitTo = useMemo(() => [...shown, ...(firstPick ? [firstPick] : [])], [fitKey, firstPick]);
  const projection = useMemo(() => fitProjection(fitTo, W, H), [fitTo]);
  const path = useMemo(() => geoPath(projection), [projection]);
  const landD = useMemo(() => (land ? path(land) ?? '' : ''), [land, path]);
  const gridD = useMemo(() => path(geoGraticule10()) ?? '', [path]);
  const [view, setView] = useState({ k: 1, x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const svg = useRef<SVGSVGElement>(null);

  const colour = useMemo(() => {
    const ids = [...new Set(sightings.map((s) => s.individualId))].sort((a, b) => a - b);
    return (id: number) => PALETTE[ids.indexOf(id) % PALETTE.length];
  }, [sightings]);
  const byIndividual = useMemo(() => {
    const m = new Map<number, Placed[]>();
    for (const s of shown) if (s.date) m.set(s.individualId, [...(m.get(s.individualId) ?? []), s]);
    return m;
  }, [shown]);

  /** A screen point to drawing coordinates (the SVG's own units, before zoom). */
  const toDrawing = (clientX: number, clientY: number): [number, number] | null => {
    const r = svg.current?.getBoundingClientRect();
    if (!r || !r.width || !r.height) return null;
    const vx = ((clientX - r.left) / r.width) * W;
    const vy = ((clientY - r.top) / r.height) * H;
    return [(vx - view.x) / view.k, (vy - view.y) / view.k];
  };
  const zoom = (f: number) =>
    setView((v) => {
      const k = Math.min(64, Math.max(1, v.k * f));
      // Zoom about the centre of the frame.
      return { k, x: W / 2 - ((W / 2 - v.x) * k) / v.k, y: H / 2 - ((H / 2 - v.y) * k) / v.k };
    });
  const r = 5 / view.k;

  return (
    <div className="sightings-map" data-testid={testId}>
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Map of ${shown.length} sightings`}
        className={onPick ? 'pickable' : undefined}
        onPointerDown={(e) => (drag.current = { x: e.clientX, y: e.clientY, moved: false })}
        onPointerMove={(e) => {
          const d = drag.current;
          const rect = svg.current?.getBoundingClientRect();
          if (!d || !rect?.width) return;
          const dx = ((e.clientX - d.x) / rect.width) * W;
          const dy = ((e.clientY - d.y) / rect.height) * H;
          if (!d.moved && Math.hypot(dx, dy) < 4) return;
          d.moved = true;
          d.x = e.clientX;
          d.y = e.clientY;
          setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          if (!onPick || d?.moved) return;
          const p = toDrawing(e.clientX, e.clientY);
          const ll = p && projection.invert?.(p);
          if (ll) onPick({ latitude: round(ll[1]), longitude: round(((ll[0] + 540) % 360) - 180) });
        }}
        onPointerLeave={() => (drag.current = null)}
        onWheel={(e) => zoom(e.deltaY < 0 ? 1.25 : 0.8)}
      >
        <rect className="sea" width={W} height={H} />
        <g transform={`translate(${view.x} ${view.y}) scale(${view.k})`}>
          <path className="graticule" d={gridD} strokeWidth={0.5 / view.k} />
          <path className="land" d={landD} data-testid="map-land" strokeWidth={0.6 / view.k} />
          {tracks &&
            [...byIndividual].map(([id, list]) =>
              list.length > 1 ? (
                <polyline
                  key={id}
                  className="track"
                  data-testid="map-track"
                  stroke={colour(id)}
                  strokeWidth={1.5 / view.k}
                  points={list.map((s) => projection([s.longitude, s.latitude])!.join(',')).join(' ')}
                />
              ) : null,
            )}
          {shown.map((s) => {
            const [x, y] = projection([s.longitude, s.latitude])!;
            return (
              <circle
                key={`${s.individualId}-${s.encounterId ?? `p${s.photoId}`}`}
                className="marker"
                data-testid="map-marker"
                data-individual={s.individualCode}
                data-encounter={s.encounterId ?? ''}
                cx={x}
                cy={y}
                r={r}
                strokeWidth={1 / view.k}
                fill={colour(s.individualId)}
              >
                <title>{`${s.individualCode} · ${formatDate(s.date)}${s.encounterCode ? ` · ${s.encounterCode}` : ''} · ${s.latitude.toFixed(4)}, ${s.longitude.toFixed(4)}`}</title>
              </circle>
            );
          })}
          {picked && (
            <g data-testid="map-picked" transform={`translate(${projection([picked.longitude, picked.latitude])!.join(' ')}) scale(${1 / view.k})`}>
              <path className="picked" d="M-7 0H7M0 -7V7" />
            </g>
          )}
        </g>
      </svg>
      <div className="map-tools">
        <button type="button" className="secondary small" onClick={() => zoom(1.5)} aria-label="Zoom in">
          +
        </button>
        <button type="button" className="secondary small" onClick={() => zoom(1 / 1.5)} aria-label="Zoom out">
          −
        </button>
        <button type="button" className="secondary small" onClick={() => setView({ k: 1, x: 0, y: 0 })}>
          Fit
        </button>
        <span className="muted small">
          {shown.length} of {sightings.length} sightings placed{onPick ? ' · click the map to place the encounter' : ''} · land: Natural Earth
        </span>
      </div>
    </div>
  );
}

/** Five decimals: about a metre, finer than any boat GPS. */
const round = (x: number) => Math.round(x * 1e5) / 1e5;
