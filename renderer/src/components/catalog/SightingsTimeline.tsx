import type { Sighting } from '../../../../electron/contract';
import { formatDate } from '../format';

const W = 400;
const H = 46;
const PAD = 14;

/** Days since 1970 of a local date-time's calendar date (offsets ignored: a day in the field is that day). */
const dayOf = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00Z`) / 86_400_000;

/**
 * An individual's sightings over time: a strip with one tick per sighting at its date (gaps in
 * years show as gaps), then the list in date order with place and encounter.
 */
export function SightingsTimeline({ sightings }: { sightings: Sighting[] }) {
  const dated = sightings.filter((s) => s.date && Number.isFinite(dayOf(s.date)));
  const days = dated.map((s) => dayOf(s.date!));
  const d0 = Math.min(...days);
  const d1 = Math.max(...days);
  const x = (d: number) => (d1 > d0 ? PAD + ((d - d0) / (d1 - d0)) * (W - 2 * PAD) : W / 2);
  const years = dated.length ? Array.from({ length: new Date(d1 * 86_400_000).getUTCFullYear() - new Date(d0 * 86_400_000).getUTCFullYear() + 1 }, (_, i) => new Date(d0 * 86_400_000).getUTCFullYear() + i) : [];
  return (
    <div className="sightings-timeline">
      {dated.length > 0 && (
        <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="Sightings over time" data-testid="timeline-strip">
          <line x1={PAD} x2={W - PAD} y1={18} y2={18} className="tl-axis" />
          {years.length > 1 &&
            years.slice(1).map((y) => {
              const xd = x(Date.parse(`${y}-01-01T00:00Z`) / 86_400_000);
              return (
                <g key={y}>
                  <line x1={xd} x2={xd} y1={10} y2={26} className="tl-year" />
                  <text x={xd} y={40} textAnchor="middle" className="tl-label">
                    {y}
                  </text>
                </g>
              );
            })}
          {dated.map((s, i) => (
            <circle key={i} cx={x(days[i])} cy={18} r={5} className="tl-dot">
              <title>{`${formatDate(s.date)}${s.encounterCode ? ` · ${s.encounterCode}` : ''}`}</title>
            </circle>
          ))}
          <text x={PAD} y={40} className="tl-label">
            {formatDate(dated[0].date)}
          </text>
          {dated.length > 1 && (
            <text x={W - PAD} y={40} textAnchor="end" className="tl-label">
              {formatDate(dated[dated.length - 1].date)}
            </text>
          )}
        </svg>
      )}
      <ol className="timeline" data-testid="timeline">
        {sightings.map((s) => (
          <li key={`${s.encounterId ?? `p${s.photoId}`}`} data-date={s.date ?? ''}>
            <span className="tl-date">{formatDate(s.date, true)}</span> <b>{s.encounterCode ?? (s.encounterId != null ? `encounter ${s.encounterId}` : 'single photo')}</b>{' '}
            <span className="muted">{s.location ?? ''}</span>{' '}
            <span className="muted small">
              {s.latitude != null && s.longitude != null ? `· ${s.latitude.toFixed(3)}, ${s.longitude.toFixed(3)} ` : '· no place '}· {s.photos} photo{s.photos === 1 ? '' : 's'}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
