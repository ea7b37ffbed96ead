// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import path from 'node:path';
import type { Backend } from '../../electron/core/api/backend';
import { IndividualPage } from '../../renderer/src/components/catalog/IndividualPage';
import { fitProjection } from '../../renderer/src/components/map/projection';
import { MapScreen } from '../../renderer/src/screens/MapScreen';
import { bridgedBackend } from '../helpers/backend-bridge';
import { renderWithQueries } from '../helpers/render-with-queries';
import { buildCatalog } from '../helpers/fixture-catalog';
import { tmpDir } from '../helpers/tmp';

const FAXAFLOI = { lat: 64.2, lon: -22.4 };
const SKJALFANDI = { lat: 66.1, lon: -17.5 };
const STELLWAGEN = { lat: 42.3, lon: -70.3 };

/** The offline map and the sightings timeline in jsdom, on a real catalog and the real backend. */
describe('sightings on the offline map', () => {
  let backend: Backend;
  let bridged: Awaited<ReturnType<typeof bridgedBackend>>;
  beforeAll(async () => {
    const file = path.join(tmpDir(), 'map.sqlite');
    const c = await buildCatalog(file, {
      individuals: [{ code: 'HW-1' }, { code: 'HW-2' }, { code: 'HW-3' }],
      encounters: [
        { code: 'E1', start: '2024-06-01T09:00:00+00:00', ...FAXAFLOI },
        { code: 'E2', start: '2024-07-10T14:00:00+00:00', ...SKJALFANDI },
        { code: 'E3', start: '2025-05-03T11:00:00-04:00', ...STELLWAGEN },
      ],
      photos: [
        // Photos carry no GPS here except one: a sighting's place is its photos' mean GPS, else its encounter's.
        { seed: 1, encounter: 'E3', takenAt: '2025-05-03T11:10:00-04:00', annotations: [{ code: 'HW-1' }] },
        { seed: 2, encounter: 'E1', takenAt: '2024-06-01T09:05:00+00:00', annotations: [{ code: 'HW-1' }, { code: 'HW-2' }] },
        { seed: 3, encounter: 'E2', takenAt: '2024-07-10T14:20:00+00:00', lat: 66.05, lon: -17.45, annotations: [{ code: 'HW-1' }] },
        { seed: 4, encounter: 'E3', takenAt: '2025-05-03T11:30:00-04:00', annotations: [{ code: 'HW-2' }] },
        { seed: 5, encounter: 'E2', takenAt: '2024-07-10T14:40:00+00:00', annotations: [{ code: 'HW-3' }] },
        { seed: 6, takenAt: null, annotations: [{ code: 'HW-3' }] }, // no encounter, no place: counted, not drawn
        { seed: 7, encounter: 'E1', takenAt: '2024-06-01T09:07:00+00:00', annotations: [{}] }, // unidentified: no sighting
      ],
    });
    c.close();
    bridged = await bridgedBackend(file);
    backend = bridged.backend;
  });
  afterEach(cleanup);
  afterAll(() => bridged.close());

  const mount = renderWithQueries;
  const markers = () => [...document.querySelectorAll('[data-testid=map-marker]')] as SVGCircleElement[];
  // A new set of sightings re-fits the view and re-projects the land: seconds in jsdom on 2 busy cores.
  const slow = { timeout: 20_000 };
  const at = (m: SVGCircleElement) => [Number(m.getAttribute('cx')), Number(m.getAttribute('cy'))];

  it('draws Natural Earth land and one marker per placed sighting where the projection puts it; filters change the markers', async () => {
    mount(<MapScreen />);
    // The land chunk is half a megabyte of TopoJSON: its first load takes a while here.
    await waitFor(() => expect(screen.getByTestId('map-land').getAttribute('d')!.length).toBeGreaterThan(1000), { timeout: 30_000 });
    // 6 sightings: HW-1 x3, HW-2 x2, HW-3 x2 minus the HW-3 photo with no place.
    await waitFor(() => expect(markers()).toHaveLength(6), slow);
    expect(screen.getByTestId('map-counts').textContent).toMatch(/^7 sightings of 3 individuals · 1 without a place/);
    const all = await backend.request('sightings.list', {});
    const placed = all.items.filter((s) => s.latitude != null);
    const projection = fitProjection(placed.map((s) => ({ latitude: s.latitude!, longitude: s.longitude! })), 720, 440);
    for (const m of markers()) {
      const s = placed.find((p) => p.individualCode === m.dataset.individual && String(p.encounterId) === m.dataset.encounter)!;
      const [x, y] = projection([s.longitude!, s.latitude!])!;
      expect(at(m)[0]).toBeCloseTo(x, 6);
      expect(at(m)[1]).toBeCloseTo(y, 6);
    }
    const of = (ind: string, enc: string) => markers().find((m) => m.dataset.individual === ind && m.dataset.encounter === String(all.items.find((s) => s.encounterCode === enc)!.encounterId))!;
    // Geography survives the projection: Stellwagen is west and south of Iceland; Skjálfandi north-east of Faxaflói.
    expect(at(of('HW-1', 'E3'))[0]).toBeLessThan(at(of('HW-1', 'E1'))[0]);
    expect(at(of('HW-1', 'E3'))[1]).toBeGreaterThan(at(of('HW-1', 'E1'))[1]);
    expect(at(of('HW-1', 'E2'))[0]).toBeGreaterThan(at(of('HW-1', 'E1'))[0]);
    expect(at(of('HW-1', 'E2'))[1]).toBeLessThan(at(of('HW-1', 'E1'))[1]);
    // The photo's own GPS wins over the encounter's place.
    expect(placed.find((s) => s.individualCode === 'HW-1' && s.encounterCode === 'E2')).toMatchObject({ latitude: 66.05, longitude: -17.45 });

    fireEvent.change(screen.getByTestId('map-from'), { target: { value: '2025-01-01' } });
    await waitFor(() => expect(markers().map((m) => m.dataset.individual).sort()).toEqual(['HW-1', 'HW-2']), slow);
    fireEvent.change(screen.getByTestId('map-from'), { target: { value: '' } });
    fireEvent.change(screen.getByTestId('map-to'), { target: { value: '2024-06-30' } });
    await waitFor(() => expect(markers().map((m) => m.dataset.individual).sort()).toEqual(['HW-1', 'HW-2']), slow);
    fireEvent.change(screen.getByTestId('map-to'), { target: { value: '' } });
    fireEvent.change(screen.getByTestId('map-individual'), { target: { value: 'HW-1' } });
    await waitFor(() => expect(markers()).toHaveLength(3), slow);
    expect(new Set(markers().map((m) => m.dataset.individual))).toEqual(new Set(['HW-1']));
    expect(screen.getAllByTestId('map-track')).toHaveLength(1); // its movements, in date order
    fireEvent.change(screen.getByTestId('map-individual'), { target: { value: '' } });
    const e2 = all.items.find((s) => s.encounterCode === 'E2')!.encounterId!;
    fireEvent.change(screen.getByTestId('map-encounter'), { target: { value: String(e2) } });
    await waitFor(() => expect(markers().map((m) => m.dataset.individual).sort()).toEqual(['HW-1', 'HW-3']), slow);
    fireEvent.change(screen.getByTestId('map-individual'), { target: { value: 'HW-9' } });
    await waitFor(() => expect(screen.getByText('No individual with code “HW-9”.')).toBeTruthy(), slow);
    expect(markers()).toHaveLength(0);
  });

  it("shows an individual's sightings on its page: the map with its track, and the timeline in date order", async () => {
    const id = backend.catalog.db.prepare("SELECT id FROM individuals WHERE code = 'HW-3'").pluck().get() as number;
    const hw1 = backend.catalog.db.prepare("SELECT id FROM individuals WHERE code = 'HW-1'").pluck().get() as number;
    mount(<IndividualPage id={hw1} onBack={() => undefined} onOpen={() => undefined} />);
    await waitFor(() => expect(screen.getByTestId('timeline').querySelectorAll('li')).toHaveLength(3));
    const dates = [...screen.getByTestId('timeline').querySelectorAll('li')].map((li) => li.getAttribute('data-date'));
    expect(dates).toEqual(['2024-06-01T09:05:00+00:00', '2024-07-10T14:20:00+00:00', '2025-05-03T11:10:00-04:00']);
    expect(screen.getByTestId('timeline').textContent).toMatch(/2024-06-01 09:05 E1.*2024-07-10 14:20 E2.*2025-05-03 11:10 E3/);
    expect(screen.getByTestId('timeline-strip').querySelectorAll('circle')).toHaveLength(3);
    expect(screen.getByTestId('individual-map').querySelectorAll('[data-testid=map-marker]')).toHaveLength(3);
    expect(screen.getByTestId('individual-map').querySelectorAll('[data-testid=map-track]')).toHaveLength(1);
    cleanup();
    // Undated sightings go last, said as such.
    mount(<IndividualPage id={id} onBack={() => undefined} onOpen={() => undefined} />);
    await waitFor(() => expect(screen.getByTestId('timeline').querySelectorAll('li')).toHaveLength(2));
    expect(screen.getByTestId('timeline').querySelectorAll('li')[1].textContent).toMatch(/date unknown single photo.*no place/);
  });
});
