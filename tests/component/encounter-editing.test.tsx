// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import path from 'node:path';
import type { Backend } from '../../electron/core/api/backend';
import { PhotosScreen } from '../../renderer/src/screens/PhotosScreen';
import { useEncounterBrowser } from '../../renderer/src/stores/encounter-browser';
import { bridgedBackend } from '../helpers/backend-bridge';
import { renderWithQueries } from '../helpers/render-with-queries';
import { importInto } from '../helpers/import';
import { makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';

// jsdom's own Uint8Array on the global would make exifr (import, in this process) miss every EXIF date.
globalThis.Uint8Array = Object.getPrototypeOf(Buffer.prototype).constructor;

// jsdom lays nothing out: the virtualised encounter list is given the size a window would give it.
for (const [prop, size] of [['clientHeight', 800], ['clientWidth', 300]] as const) {
  const own = Object.getOwnPropertyDescriptor(Element.prototype, prop)!;
  Object.defineProperty(HTMLElement.prototype, prop, {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'encounter-list' ? size : own.get!.call(this);
    },
  });
}

/** Photos & encounters in jsdom on a real imported catalog: editing encounters and sorting undated photos. */
describe('PhotosScreen: completing encounters', () => {
  let file: string;
  let backend: Backend;

  beforeAll(async () => {
    const dir = tmpDir();
    await makePhoto(path.join(dir, 'a1.jpg'), { taken: '2024:07:01 10:00:00', seed: 1 });
    await makePhoto(path.join(dir, 'a2.jpg'), { taken: '2024:07:01 10:05:00', seed: 2 });
    await makePhoto(path.join(dir, 'b1.jpg'), { taken: '2024:07:05 09:00:00', seed: 3 });
    await makePhoto(path.join(dir, 'c1.jpg'), { taken: '2024:07:09 15:00:00', seed: 4 });
    for (let i = 1; i <= 3; i++) await makePhoto(path.join(dir, `undated-${i}.jpg`), { seed: 10 + i });
    file = path.join(tmpDir(), 'photos.sqlite');
    expect(await importInto(file, { paths: [dir] })).toMatchObject({ imported: 7, encounters: 3 });
  });
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await bridgedBackend(file));
    // Each test starts from the imported catalog: its changes are rolled back afterwards.
    backend.catalog.db.exec('SAVEPOINT t');
    useEncounterBrowser.setState({ encounterId: null, photoId: null, ticked: [], editing: false });
    renderWithQueries(<PhotosScreen />);
  });
  afterEach(async () => {
    cleanup();
    backend.catalog.db.exec('ROLLBACK TO t; RELEASE t');
    await close();
  });

  const row = (name: string) =>
    backend.catalog.db.prepare('SELECT e.* FROM encounters e JOIN photos p ON p.encounter_id = e.id WHERE p.original_name = ?').get(name) as Record<string, unknown>;
  const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

  it('edits one encounter: date and time with its UTC offset, place and notes, saved to the catalog and shown', async () => {
    const id = row('b1.jpg').id as number;
    fireEvent.click(await screen.findByTestId(`encounter-${id}`));
    fireEvent.click(await screen.findByTestId('encounter-edit'));
    const editor = await screen.findByTestId('encounter-editor');
    expect((within(editor).getByTestId('ee-date') as HTMLInputElement).value).toBe('2024-07-05');
    expect((within(editor).getByTestId('ee-time') as HTMLInputElement).value).toBe('09:00');
    type('ee-time', '09:30');
    type('ee-offset', '-04:00');
    type('ee-lat', '42.2512');
    type('ee-lon', '-70.3301');
    type('ee-location', 'Stellwagen Bank');
    type('ee-notes', 'two adults, one calf');
    fireEvent.click(screen.getByTestId('ee-save'));
    await waitFor(() => expect(screen.queryByTestId('encounter-editor')).toBeNull());
    expect(row('b1.jpg')).toMatchObject({ start_time: '2024-07-05T09:30-04:00', latitude: 42.2512, longitude: -70.3301, location: 'Stellwagen Bank', notes: 'two adults, one calf' });
    const head = await screen.findByTestId('encounter-head');
    await waitFor(() => expect(head.textContent).toContain('2024-07-05 09:30 (UTC-04:00)'));
    expect(head.textContent).toContain('Stellwagen Bank · 42.2512, -70.3301');
  });

  it('refuses a bad time or half a place with the reason, and saves nothing', async () => {
    const id = row('c1.jpg').id as number;
    fireEvent.click(await screen.findByTestId(`encounter-${id}`));
    fireEvent.click(await screen.findByTestId('encounter-edit'));
    await screen.findByTestId('encounter-editor');
    type('ee-lat', '42.1');
    fireEvent.click(screen.getByTestId('ee-save'));
    expect((await screen.findByTestId('ee-error')).textContent).toMatch(/both latitude and longitude/);
    type('ee-lon', '-70.2');
    type('ee-offset', '+2');
    fireEvent.click(screen.getByTestId('ee-save'));
    await waitFor(() => expect(screen.getByTestId('ee-error').textContent).toMatch(/startTime '2024-07-09T15:00\+2' is not a date-time/));
    expect(row('c1.jpg')).toMatchObject({ start_time: '2024-07-09T15:00:00', latitude: null });
  });

  it('edits several encounters at once: the fields given change on each, the others stay', async () => {
    const a = row('a1.jpg').id as number;
    const b = row('b1.jpg').id as number;
    backend.catalog.db.prepare("UPDATE encounters SET notes = 'calf seen' WHERE id = ?").run(a);
    fireEvent.click(await screen.findByTestId(`encounter-tick-${a}`));
    fireEvent.click(screen.getByTestId(`encounter-tick-${b}`));
    expect(screen.getByTestId('encounters-ticked').textContent).toContain('2 encounters ticked');
    fireEvent.click(screen.getByTestId('edit-ticked'));
    const editor = await screen.findByTestId('encounter-editor');
    expect(editor.textContent).toContain('Edit 2 encounters');
    type('ee-lat', '64.1');
    type('ee-lon', '-21.95');
    type('ee-location', 'Faxaflói');
    fireEvent.click(screen.getByTestId('ee-save'));
    await waitFor(() => expect(screen.queryByTestId('encounter-editor')).toBeNull());
    expect(row('a1.jpg')).toMatchObject({ latitude: 64.1, longitude: -21.95, location: 'Faxaflói', notes: 'calf seen', start_time: '2024-07-01T10:00:00' });
    expect(row('b1.jpg')).toMatchObject({ latitude: 64.1, longitude: -21.95, location: 'Faxaflói', notes: null, start_time: '2024-07-05T09:00:00' });
    expect(row('c1.jpg')).toMatchObject({ latitude: null, location: null });
    await waitFor(() => expect(screen.getByTestId(`encounter-${a}`).textContent).toContain('Faxaflói'));
  });

  it('lists the photos without an encounter as an unsorted group; ticked ones are grouped into a new encounter that can be dated', async () => {
    fireEvent.click(await screen.findByTestId('encounter-unsorted'));
    expect(screen.getByTestId('encounter-unsorted').textContent).toContain('3 without an encounter');
    const grid = await screen.findByTestId('photo-grid');
    await waitFor(() => expect(grid.querySelectorAll('.photo-tile')).toHaveLength(3));
    expect([...grid.querySelectorAll('.photo-tile')].map((b) => b.getAttribute('title'))).toEqual(['undated-1.jpg', 'undated-2.jpg', 'undated-3.jpg']);
    const ids = backend.catalog.db.prepare("SELECT id FROM photos WHERE original_name LIKE 'undated-%' ORDER BY original_name").pluck().all() as number[];
    fireEvent.click(screen.getByTestId(`tick-${ids[0]}`));
    fireEvent.click(screen.getByTestId(`tick-${ids[1]}`));
    expect(screen.getByTestId('unsorted-ticked').textContent).toBe('2 ticked');
    fireEvent.click(screen.getByTestId('unsorted-group'));
    await waitFor(() => expect(row('undated-1.jpg')).toBeTruthy());
    expect(row('undated-2.jpg').id).toBe(row('undated-1.jpg').id);
    expect(row('undated-3.jpg')).toBeUndefined();
    // The new encounter opens; it has no date until one is given, which the photos then take in exports.
    const grouped = row('undated-1.jpg').id as number;
    await waitFor(() => expect(screen.getByTestId('encounter-head').textContent).toContain(`Encounter ${grouped}`));
    expect(screen.getByTestId('encounter-head').textContent).toContain('date unknown');
    await waitFor(() => expect(screen.getByTestId('encounter-unsorted').textContent).toContain('1 without an encounter'));
    fireEvent.click(screen.getByTestId('encounter-edit'));
    await screen.findByTestId('encounter-editor');
    type('ee-date', '2023-09-14');
    fireEvent.click(screen.getByTestId('ee-save'));
    await waitFor(() => expect(row('undated-1.jpg').start_time).toBe('2023-09-14'));
    // The last one goes into an existing encounter; the unsorted group disappears.
    const c = row('c1.jpg').id as number;
    act(() => useEncounterBrowser.getState().pick('unsorted'));
    fireEvent.click(await screen.findByTestId(`tick-${ids[2]}`));
    fireEvent.change(screen.getByTestId('unsorted-target'), { target: { value: String(c) } });
    fireEvent.click(screen.getByTestId('unsorted-add'));
    await waitFor(() => expect(row('undated-3.jpg').id).toBe(c));
    await waitFor(() => expect(screen.queryByTestId('encounter-unsorted')).toBeNull());
  });

  it('opens an unsorted photo for boxing and setting side and body part', async () => {
    fireEvent.click(await screen.findByTestId('encounter-unsorted'));
    const id = backend.catalog.db.prepare("SELECT id FROM photos WHERE original_name = 'undated-2.jpg'").pluck().get() as number;
    fireEvent.click(await screen.findByTestId(`photo-${id}`));
    expect((await screen.findByTestId('photo-view')).getAttribute('aria-label')).toBe('Photo undated-2.jpg');
    expect(screen.getByTestId('box-editor-surface')).toBeTruthy();
  });
});
