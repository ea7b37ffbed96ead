import { useState } from 'react';
import { bodyParts } from '../../../electron/contract';
import { useAction, useRequest } from '../api/queries';

/**
 * The catalog's species and body part, asked once before the first import: they go into every
 * export (scientificName, EML, Wildbook genus) and onto each photo's annotation, so a guess
 * (a humpback's fluke) would be written into an antelope's records. Once set, one line says so.
 */
export function CatalogSpecies() {
  const summary = useRequest('catalog.summary', {});
  const save = useAction('settings.set', ['settings', 'catalog', 'photos', 'annotations']);
  const [species, setSpecies] = useState('');
  const [part, setPart] = useState('');
  const [editing, setEditing] = useState(false);
  const s = summary.data;
  if (!s) return null;
  const known = Boolean(s.species && s.bodyPart);
  if (known && !editing) {
    return (
      <p className="muted small" data-testid="catalog-species">
        This catalog: <em>{s.species}</em>, {s.bodyPart}.{' '}
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            setSpecies(s.species);
            setPart(s.bodyPart);
            setEditing(true);
          }}
        >
          Change
        </button>
      </p>
    );
  }
  const submit = async () => {
    if (species.trim()) await save.mutateAsync({ key: 'species', value: species.trim() });
    if (part.trim()) await save.mutateAsync({ key: 'bodyPart', value: part.trim() });
    setEditing(false);
  };
  return (
    <fieldset className="import-form catalog-species" data-testid="catalog-species-form">
      <legend>Which animal does this catalog hold?</legend>
      <p className="muted small" style={{ margin: 0 }}>
        Asked once: exports write the species (Darwin Core scientificName, Wildbook genus), and new photos get the body part. Nothing is guessed.
      </p>
      <div className="row">
        <label style={{ flex: 2 }}>
          Species (scientific name)
          <input value={species} onChange={(e) => setSpecies(e.target.value)} placeholder="Tragelaphus angasii" data-testid="catalog-species-input" />
        </label>
        <label style={{ flex: 1 }}>
          Body part in the photos
          <select value={part} onChange={(e) => setPart(e.target.value)} data-testid="catalog-bodypart-input">
            <option value="">choose…</option>
            {bodyParts.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={save.isPending || (!species.trim() && !part)} onClick={() => void submit()} data-testid="catalog-species-save">
          Save
        </button>
      </div>
      {save.error ? <p className="error">{save.error.message}</p> : null}
    </fieldset>
  );
}
