export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
  dashed?: boolean;
}

const W = 520;
const H = 220;
const PAD = { l: 44, r: 12, t: 10, b: 28 };

function ticks(lo: number, hi: number, n = 4): number[] {
  if (hi <= lo) return [lo];
  const step = (hi - lo) / n;
  return Array.from({ length: n + 1 }, (_, i) => lo + i * step);
}

/** A small line chart in SVG: shared axes, one polyline per series, a legend. */
export function LineChart({ title, series, xLabel, yMin, yMax, testId }: { title: string; series: Series[]; xLabel: string; yMin?: number; yMax?: number; testId?: string }) {
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).filter(Number.isFinite);
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs, x0 + 1) : 1;
  const y0 = yMin ?? (ys.length ? Math.min(...ys) : 0);
  const y1 = yMax ?? (ys.length ? Math.max(...ys, y0 + 1e-6) : 1);
  const sx = (x: number) => PAD.l + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.l - PAD.r);
  const sy = (y: number) => H - PAD.b - ((y - y0) / (y1 - y0 || 1)) * (H - PAD.t - PAD.b);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={title}>
        {ticks(y0, y1).map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.l} x2={W - PAD.r} y1={sy(t)} y2={sy(t)} stroke="#2c3e50" strokeWidth={1} />
            <text x={PAD.l - 6} y={sy(t) + 4} textAnchor="end" fontSize={10} fill="var(--muted)">
              {t.toFixed(2)}
            </text>
          </g>
        ))}
        {all.length === 0 && (
          <text x={(W + PAD.l) / 2} y={(H - PAD.b) / 2} textAnchor="middle" fontSize={12} fill="var(--muted)">
            No curves recorded yet: they appear as a training run finishes its epochs.
          </text>
        )}
        {[...new Set(ticks(x0, x1).map((t) => Math.round(t)))].map((t) => (
          <text key={`x${t}`} x={sx(t)} y={H - PAD.b + 14} textAnchor="middle" fontSize={10} fill="var(--muted)">
            {t}
          </text>
        ))}
        <text x={(W + PAD.l) / 2} y={H - 2} textAnchor="middle" fontSize={10} fill="var(--muted)">
          {xLabel}
        </text>
        {series.map((s) =>
          s.points.length ? (
            <polyline
              key={s.name}
              data-series={s.name}
              fill="none"
              stroke={s.color}
              strokeWidth={1.6}
              strokeDasharray={s.dashed ? '4 3' : undefined}
              points={s.points
                .filter((p) => Number.isFinite(p[1]))
                .map((p) => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`)
                .join(' ')}
            />
          ) : null,
        )}
      </svg>
      <div className="chart-legend">
        {series.map((s) => (
          <span key={s.name}>
            <i style={s.dashed ? { background: `repeating-linear-gradient(90deg, ${s.color} 0 4px, transparent 4px 6px)`, width: 16, height: 3, verticalAlign: 3 } : { background: s.color }} /> {s.name}
          </span>
        ))}
      </div>
    </figure>
  );
}
