import { useState } from 'react';
import type { Encounter, EncounterPatch } from '../../../../electron/contract';
import { useAction } from '../../api/queries';
import { SightingsMap } from '../map/SightingsMap';
import { joinTime, OFFSETS, splitTime, type TimeFields } from './time-fields';

const INVALIDATES = ['encounters', 'photos', 'sightings'];

interface Form {
  start: TimeFields;
  lat: string;
  lon: string;
  location: string;
  notes: string;
}

const formOf = (e: Encounter | null): Form => ({
  start: splitTime(e?.startTime),
  lat: e?.latitude != null ? String(e.latitude) : '',
  lon: e?.longitude != null ? String(e.longitude) : '',
  location: e?.location ?? '',
  notes: e?.notes ?? '',
});

const num = (s: string) => (s.trim() === '' ? null : Number(s.trim().replace(',', '.')));

/**
 * Date and time (local, with its UTC offset), place (typed, or clicked on the map) and notes of
 * one encounter, or of several at once. Only the fields changed are saved: with several
 * encounters the form starts blank and a field left blank leaves each encounter's own value.
 */
export function EncounterEditor({ encounters, onDone }: { encounters: Encounter[]; onDone(): void }) {
  const single = encounters.length === 1 ? encounters[0] : null;
  const initial = formOf(single);
  const [f, setF] = useState<Form>(initial);
  const [error, setError] = useState<string | null>(null);
  const one = useAction('encounters.update', INVALIDATES);
  const many = useAction('encounters.updateMany', INVALIDATES);

  const patch = (): EncounterPatch | string => {
    const p: EncounterPatch = {};
    const start = joinTime(f.start);
    if (start !== joinTime(initial.start) && (single || start)) p.startTime = start;
    if (f.lat !== initial.lat || f.lon !== initial.lon) {
      const lat = num(f.lat);
      const lon = num(f.lon);
      if ((lat === null) !== (lon === null)) return 'Give both latitude and longitude (or clear both).';
      if ((lat !== null && !Number.isFinite(lat)) || (lon !== null && !Number.isFinite(lon))) return 'Latitude and longitude are decimal degrees, e.g. 64.1234 and -21.9.';
      p.latitude = lat;
      p.longitude = lon;
    }
    if (f.location !== initial.location && (single || f.location.trim())) p.location = f.location;
    if (f.notes !== initial.notes && (single || f.notes.trim())) p.notes = f.notes;
    return p;
  };

  const save = () => {
    const p = patch();
    if (typeof p === 'string') return setError(p);
    if (!Object.keys(p).length) return onDone();
    const opts = { onSuccess: () => onDone(), onError: (e: Error) => setError(e.message) };
    if (single) one.mutate({ id: single.id, patch: p }, opts);
    else many.mutate({ ids: encounters.map((e) => e.id), patch: p }, opts);
  };
  const lat = num(f.lat);
  const lon = num(f.lon);
  const picked = lat !== null && lon !== null && Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { latitude: lat, longitude: lon } : null;
  const setStart = (k: keyof TimeFields, v: string) => setF({ ...f, start: { ...f.start, [k]: v } });

  return (
    <form
      className="encounter-editor"
      data-testid="encounter-editor"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h3>{single ? `Edit ${single.code ?? `encounter ${single.id}`}` : `Edit ${encounters.length} encounters`}</h3>
      {!single && <p className="muted small">Fields left blank keep each encounter’s own value.</p>}
      <div className="ee-fields">
        <label>
          Date <input type="date" value={f.start.date} onChange={(e) => setStart('date', e.target.value)} data-testid="ee-date" />
        </label>
        <label>
          Time (local) <input type="time" value={f.start.time} onChange={(e) => setStart('time', e.target.value)} data-testid="ee-time" />
        </label>
        <label>
          UTC offset{' '}
          <input list="ee-offsets" value={f.start.offset} onChange={(e) => setStart('offset', e.target.value)} placeholder="unknown, e.g. +02:00" size={10} data-testid="ee-offset" />
          <datalist id="ee-offsets">{OFFSETS.map((o) => <option key={o} value={o} />)}</datalist>
        </label>
        <label>
          Latitude <input inputMode="decimal" value={f.lat} onChange={(e) => setF({ ...f, lat: e.target.value })} placeholder="e.g. 64.1234" size={10} data-testid="ee-lat" />
        </label>
        <label>
          Longitude <input inputMode="decimal" value={f.lon} onChange={(e) => setF({ ...f, lon: e.target.value })} placeholder="e.g. -21.9" size={10} data-testid="ee-lon" />
        </label>
        <label>
          Place name <input value={f.location} onChange={(e) => setF({ ...f, location: e.target.value })} placeholder={single ? '' : '(unchanged)'} data-testid="ee-location" />
        </label>
      </div>
      <label className="ee-notes">
        Notes <textarea rows={2} value={f.notes} onChange={(e) => setF({ ...f, notes: e.target.value })} placeholder={single ? '' : '(unchanged)'} data-testid="ee-notes" />
      </label>
      <SightingsMap sightings={[]} picked={picked} onPick={(p) => setF({ ...f, lat: String(p.latitude), lon: String(p.longitude) })} testId="ee-map" />
      {error && (
        <p className="error small" role="alert" data-testid="ee-error">
          {error}
        </p>
      )}
      <div className="ee-actions">
        <button type="submit" className="primary" disabled={one.isPending || many.isPending} data-testid="ee-save">
          Save
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
