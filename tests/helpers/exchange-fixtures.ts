import type { FixtureSpec } from './fixture-catalog';

/** A small field season: three whales, two encounters, odd characters where exports must cope. */
export const seasonA: FixtureSpec = {
  settings: { species: 'Megaptera novaeangliae', licence: 'CC-BY-4.0', institution: 'Instituto Ñandú', datasetTitle: 'Humpbacks of the bay', reviewer: 'ana', scientificNameID: 'urn:lsid:marinespecies.org:taxname:137092' },
  individuals: [
    { code: 'ID-0001', name: 'Salt, "the" Ñandú', sex: 'female' },
    { code: 'ID-0002', name: 'Pepper' },
    { code: 'ID-0003' },
    { code: 'ID-0004', sex: 'female' },
  ],
  encounters: [
    { code: 'S-2026-001', start: '2026-01-10T10:00:00+02:00', lat: -33.9, lon: 18.4, location: 'Bahía, north', observer: 'Ana Pérez' },
    { code: 'S-2026-002', start: '2026-01-12T07:30:00+02:00', lat: -34.1, lon: 18.9, location: 'Cape Point', observer: 'Ben' },
  ],
  photos: [
    { seed: 1, encounter: 'S-2026-001', lat: -33.91, lon: 18.41, annotations: [{ code: 'ID-0001' }] },
    { seed: 2, encounter: 'S-2026-001', annotations: [{ code: 'ID-0001', box: [0, 0, 30, 20] }, { code: 'ID-0002', box: [32, 20, 30, 25] }] },
    { seed: 3, encounter: 'S-2026-002', takenAt: '2026-01-12T07:41:02+02:00', copied: false, annotations: [{ code: 'ID-0003', decisions: [{ decision: 'reject', code: 'ID-0001' }, { decision: 'confirm', code: 'ID-0003', at: '2026-01-11T08:05:00.000Z' }] }] },
    { seed: 4, encounter: 'S-2026-002', takenAt: '2026-01-12T07:45:00+02:00', annotations: [{ code: 'ID-0004', decisions: [{ decision: 'new', code: 'ID-0004' }, { decision: 'skip', undone: true }] }] },
    { seed: 5, takenAt: null, annotations: [{ code: 'ID-0002' }] },
    { seed: 6, encounter: 'S-2026-002', annotations: [{}] },
  ],
};
