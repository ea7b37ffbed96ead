// @vitest-environment jsdom
import path from 'node:path';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { CaudalBridge, Box } from '../../electron/contract';
import { Backend } from '../../electron/core/api/backend';
import { importPhotos } from '../../electron/core/import/import';
import { setBridge } from '../../renderer/src/api/bridge';
import { BoxEditor, type EditorBox } from '../../renderer/src/components/BoxEditor';
import { PhotoView } from '../../renderer/src/components/PhotoView';
import { makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';

// The editor's surface is shown at 500 x 250 CSS pixels for a 2000 x 1000 photo: 1 CSS px = 4 photo px.
function layout(el: Element, width = 500, height = 250) {
  el.getBoundingClientRect = () => ({ left: 10, top: 20, width, height, right: 10 + width, bottom: 20 + height, x: 10, y: 20, toJSON: () => ({}) }) as DOMRect;
}
const at = (x: number, y: number) => ({ clientX: 10 + x, clientY: 20 + y, pointerId: 1, button: 0 });

afterEach(cleanup);

describe('BoxEditor', () => {
  it('draws a box in photo pixels, moves it, resizes it from a corner, and deletes it with the Delete key', () => {
    const created: Box[] = [];
    const changed: Array<[number, Box]> = [];
    const deleted: number[] = [];
    let selected: number | null = null;
    const boxes: EditorBox[] = [{ id: 7, x: 400, y: 200, w: 400, h: 200, label: 'HW-0007' }];
    const ui = (sel: number | null) => (
      <BoxEditor
        src="about:blank"
        width={2000}
        height={1000}
        boxes={boxes}
        selectedId={sel}
        onSelect={(id) => (selected = id)}
        onCreate={(b) => created.push(b)}
        onChange={(id, b) => changed.push([id, b])}
        onDelete={(id) => deleted.push(id)}
      />
    );
    const { rerender } = render(ui(null));
    const surface = screen.getByTestId('box-editor-surface');
    layout(surface);
    expect(screen.getByText('HW-0007')).toBeTruthy();

    // Draw from (250, 25) to (300, 75) CSS px, upwards-left to downwards-right: photo (1000,100)-(1200,300).
    fireEvent.pointerDown(surface, at(300, 75));
    fireEvent.pointerMove(surface, at(275, 50));
    expect(screen.getByTestId('box-draft')).toBeTruthy();
    fireEvent.pointerMove(surface, at(250, 25));
    fireEvent.pointerUp(surface, at(250, 25));
    expect(created).toEqual([{ x: 1000, y: 100, w: 200, h: 200 }]);

    // A click without a drag draws nothing and clears the selection.
    fireEvent.pointerDown(surface, at(5, 5));
    fireEvent.pointerUp(surface, at(5, 5));
    expect(created).toHaveLength(1);
    expect(selected).toBeNull();
    // (the box list is fixed in this test: created boxes are reported, not drawn)

    // A click on a box selects it; a drag that starts on an unselected box draws a new one inside it.
    const rect = () => screen.getByTestId('box-7').querySelector('rect')!;
    fireEvent.pointerDown(rect(), at(150, 75));
    fireEvent.pointerUp(surface, at(150, 75));
    expect(selected).toBe(7);
    fireEvent.pointerDown(rect(), at(110, 55));
    fireEvent.pointerMove(surface, at(130, 70));
    fireEvent.pointerUp(surface, at(130, 70));
    expect(created[1]).toEqual({ x: 440, y: 220, w: 80, h: 60 });
    expect(changed).toEqual([]);

    // Selected, a drag on it moves it by (+10, +5) CSS px = (+40, +20) photo px.
    rerender(ui(7));
    fireEvent.pointerDown(rect(), at(150, 75));
    fireEvent.pointerMove(surface, at(160, 80));
    fireEvent.pointerUp(surface, at(160, 80));
    expect(changed).toEqual([[7, { x: 440, y: 220, w: 400, h: 200 }]]);

    // Moving past the edge stops at the edge.
    fireEvent.pointerDown(rect(), at(150, 75));
    fireEvent.pointerMove(surface, at(900, 900));
    fireEvent.pointerUp(surface, at(900, 900));
    expect(changed[1]).toEqual([7, { x: 1600, y: 800, w: 400, h: 200 }]);

    // Selected, it has corner handles; dragging the south-east one resizes with the north-west corner fixed.
    fireEvent.pointerDown(screen.getByTestId('handle-se'), at(200, 100));
    fireEvent.pointerMove(surface, at(225, 125));
    fireEvent.pointerUp(surface, at(225, 125));
    expect(changed[2]).toEqual([7, { x: 400, y: 200, w: 500, h: 300 }]);

    // Delete removes the selected box, but not while typing in a field.
    const input = document.createElement('input');
    document.body.appendChild(input);
    fireEvent.keyDown(input, { key: 'Delete' });
    expect(deleted).toEqual([]);
    fireEvent.keyDown(window, { key: 'Delete' });
    expect(deleted).toEqual([7]);
  });

  it('is inert when read-only', () => {
    const created: Box[] = [];
    render(<BoxEditor src="about:blank" width={100} height={100} boxes={[]} readOnly onCreate={(b) => created.push(b)} />);
    const surface = screen.getByTestId('box-editor-surface');
    layout(surface, 100, 100);
    fireEvent.pointerDown(surface, at(10, 10));
    fireEvent.pointerMove(surface, at(60, 60));
    fireEvent.pointerUp(surface, at(60, 60));
    expect(created).toEqual([]);
  });
});

describe('PhotoView on a real catalog', () => {
  let backend: Backend;
  beforeAll(async () => {
    const dir = tmpDir();
    await makePhoto(path.join(dir, 'fluke.jpg'), { width: 800, height: 600 });
    backend = new Backend(path.join(tmpDir(), 'cat.sqlite'));
    await importPhotos(backend.catalog, { paths: [dir] });
    // The renderer's one client, answered by the real backend in-process.
    const bridge: CaudalBridge = {
      transport: 'http',
      request: (name, params) => backend.request(name, params),
      on: (event, listener) =>
        backend.onEvent((e, p) => {
          if ((e as string) === event) listener(p as never);
        }),
      mediaUrl: (kind, id) => `/media/${kind}/${id}`,
    };
    setBridge(bridge);
  });
  afterAll(async () => {
    setBridge(undefined);
    await backend.close();
  });

  it('draws, edits and deletes annotations through the contract', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={qc}>
        <PhotoView photoId={1} />
      </QueryClientProvider>,
    );
    const surface = await screen.findByTestId('box-editor-surface');
    layout(surface, 400, 300); // 1 CSS px = 2 photo px
    expect(screen.getByRole('img').getAttribute('src')).toBe('/media/preview/1');
    expect(screen.getAllByTestId(/^annotation-\d+$/)).toHaveLength(1); // the whole-image annotation from import

    fireEvent.pointerDown(surface, at(50, 40));
    fireEvent.pointerMove(surface, at(150, 140));
    fireEvent.pointerUp(surface, at(150, 140));
    await waitFor(() => expect(screen.getAllByTestId(/^annotation-\d+$/)).toHaveLength(2));
    const rows = () => backend.catalog.db.prepare('SELECT id, x, y, w, h, side, body_part, quality FROM annotations ORDER BY id').all() as Array<Record<string, unknown>>;
    expect(rows()[1]).toMatchObject({ x: 100, y: 80, w: 200, h: 200, body_part: '', side: null });

    const item = screen.getByTestId(`annotation-${rows()[1].id}`);
    fireEvent.change(item.querySelector('[data-testid=field-side]')!, { target: { value: 'left' } });
    fireEvent.change(item.querySelector('[data-testid=field-quality]')!, { target: { value: '4' } });
    fireEvent.change(item.querySelector('[data-testid=field-bodyPart]')!, { target: { value: 'dorsal' } });
    await waitFor(() => expect(rows()[1]).toMatchObject({ side: 'left', quality: 4, body_part: 'dorsal' }));

    fireEvent.click(item.querySelector('[data-testid=annotation-delete]')!);
    await waitFor(() => expect(rows()).toHaveLength(1));
    await act(async () => {});
  });
  it('shows a proposed box dashed, with Accept, which makes it a person\'s box', async () => {
    // The photo's remaining annotation as the proposer leaves one (the proposer itself: tests/integration/box-proposals.test.ts).
    const id = backend.catalog.db.prepare('SELECT id FROM annotations WHERE photo_id = 1').pluck().get() as number;
    backend.catalog.db.prepare("UPDATE annotations SET x = 100, y = 100, w = 300, h = 200, source = 'proposed', proposal_score = 0.6 WHERE id = ?").run(id);
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={qc}>
        <PhotoView photoId={1} />
      </QueryClientProvider>,
    );
    await screen.findByTestId('annotation-proposed');
    expect(screen.getByTestId(`box-${id}`).getAttribute('class')).toBe('box proposed');
    fireEvent.click(screen.getByTestId('annotation-accept'));
    await waitFor(() => expect(backend.catalog.db.prepare('SELECT source FROM annotations WHERE id = ?').pluck().get(id)).toBe('person'));
    await waitFor(() => expect(screen.queryByTestId('annotation-proposed')).toBeNull());
    expect(screen.getByTestId(`box-${id}`).getAttribute('class')).toBe('box');
    expect(screen.queryByTestId('annotation-accept')).toBeNull();
    expect(backend.catalog.db.prepare('SELECT x, y, w, h FROM annotations WHERE id = ?').get(id)).toEqual({ x: 100, y: 100, w: 300, h: 200 });
    await act(async () => {});
  });
});
