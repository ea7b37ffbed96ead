/** A local date-time with optional offset, split for three inputs and joined back. */
export interface TimeFields {
  date: string;
  time: string;
  offset: string;
}

const PARTS = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function splitTime(t: string | null | undefined): TimeFields {
  const m = t ? PARTS.exec(t) : null;
  if (!m) return { date: '', time: '', offset: '' };
  return { date: m[1], time: m[2] ?? '', offset: m[3] === 'Z' ? '+00:00' : (m[3] ?? '') };
}

/** Empty date: no time. An offset only makes sense with a time of day, so a bare date drops it. */
export function joinTime(f: TimeFields): string | null {
  if (!f.date) return null;
  if (!f.time) return f.date;
  return `${f.date}T${f.time}${f.offset.trim()}`;
}

/** Whole and the usual half/three-quarter hour offsets, for the offset input's suggestions. */
export const OFFSETS: string[] = (() => {
  const mins = [...Array.from({ length: 27 }, (_, i) => (i - 12) * 60), -210, 210, 270, 330, 345, 390, 570, 630, 765].sort((a, b) => a - b);
  return mins.map((m) => `${m < 0 ? '-' : '+'}${String(Math.floor(Math.abs(m) / 60)).padStart(2, '0')}:${String(Math.abs(m) % 60).padStart(2, '0')}`);
})();
