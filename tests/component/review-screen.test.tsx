// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import path from 'node:path';
import { Backend } from '../../electron/core/api/backend';
import { setBridge } from '../../renderer/src/api/bridge';
import { ReviewScreen } from '../../renderer/src/screens/ReviewScreen';
import { useMenuCommand } from '../../renderer/src/stores/menu';
import { useReviewSession } from '../../renderer/src/stores/review-session';
import { backendBridge } from '../helpers/backend-bridge';
import { buildReviewCatalog, type ReviewFixture } from '../helpers/review-fixture';
import { tmpDir } from '../helpers/tmp';

// jsdom puts its own Uint8Array on the global; the matcher hands onnxruntime Node Buffers, which
// its `instanceof Uint8Array` check would then refuse. The backend runs in this process here, so
// it gets Node's typed array back (the screen itself does not use it).
globalThis.Uint8Array = Object.getPrototypeOf(Buffer.prototype).constructor;

/** The workbench in jsdom against a real catalog and the real matcher: keys, candidate list, undo. */
describe('ReviewScreen', () => {
  let fx: ReviewFixture;
  let backend: Backend;

  beforeAll(async () => {
    fx = await buildReviewCatalog(path.join(tmpDir(), 'component.sqlite'), { individuals: 5, photosPerIndividual: 2, queries: 3, newQueries: 1 });
  });
  beforeEach(() => {
    backend = new Backend(fx.file);
    // Each test starts from the same catalog: its changes are rolled back afterwards.
    backend.catalog.db.exec('SAVEPOINT t');
    setBridge(backendBridge(backend));
    useReviewSession.setState({ currentId: null, selected: 0, done: [], helpOpen: false, busy: false, last: null });
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <ReviewScreen />
      </QueryClientProvider>,
    );
  });
  afterEach(async () => {
    cleanup();
    setBridge(undefined);
    backend.catalog.db.exec('ROLLBACK TO t; RELEASE t');
    await backend.close();
  });

  const key = (k: string, extra: Partial<KeyboardEventInit> = {}) => act(() => void fireEvent.keyDown(window, { key: k, ...extra }));
  /** The number key of an entry: its place in the list as shown. */
  const keyOf = (testId: string) => String(screen.getAllByRole('option').indexOf(screen.getByTestId(testId)) + 1);
  const queryId = () => Number(screen.getByTestId('review-query').getAttribute('data-annotation-id'));
  const annotation = (id: number) => backend.catalog.db.prepare('SELECT individual_id FROM annotations WHERE id = ?').pluck().get(id);
  const decisions = () => backend.catalog.db.prepare('SELECT decision, individual_id AS ind, undone_at IS NOT NULL AS undone FROM decisions ORDER BY id').all();

  it('lists ranked candidates with the new-individual entry in its place, selects by number and arrows', async () => {
    await screen.findByTestId('candidate-1');
    expect(queryId()).toBe(fx.queries[0].annotationId);
    expect(Number(screen.getByTestId('candidate-1').getAttribute('data-individual-id'))).toBe(fx.queries[0].truth);
    expect(screen.getAllByRole('option')).toHaveLength(6); // 5 individuals + "new"
    const match = await backend.request('match.annotation', { annotationId: fx.queries[0].annotationId, top: 9 });
    expect(screen.getAllByRole('option').indexOf(screen.getByTestId('candidate-new'))).toBe(match.newIndividual.rank - 1);
    expect(screen.getByTestId('review-progress').textContent).toContain('4 left');
    // Keys follow the list as shown, "new individual" included.
    await key('3');
    expect(screen.getAllByRole('option')[2].getAttribute('aria-selected')).toBe('true');
    await key('ArrowUp');
    expect(screen.getAllByRole('option')[1].getAttribute('aria-selected')).toBe('true');
    expect(screen.getAllByRole('option')[1].querySelector('.cand-key')?.textContent).toBe('2');
    await key('?');
    expect(screen.getByTestId('shortcut-help')).toBeTruthy();
    await key('Escape');
    expect(screen.queryByTestId('shortcut-help')).toBeNull();
  });

  it('rejects, confirms and undoes by keyboard; the catalog follows', async () => {
    await screen.findByTestId('candidate-1');
    const [q1, q2] = fx.queries;
    const wrong = Number(screen.getByTestId('candidate-2').getAttribute('data-individual-id'));
    await key(keyOf('candidate-2'));
    await key('x');
    await waitFor(() => expect(document.querySelector(`[data-individual-id="${wrong}"]`)).toBeNull());
    expect(screen.getAllByRole('option')).toHaveLength(5);
    await key(keyOf('candidate-1'));
    await key('Enter');
    await waitFor(() => expect(queryId()).toBe(q2.annotationId));
    await waitFor(() => expect(annotation(q1.annotationId)).toBe(q1.truth));
    await key('z', { ctrlKey: true });
    await waitFor(() => expect(queryId()).toBe(q1.annotationId));
    expect(annotation(q1.annotationId)).toBeNull();
    expect(decisions()).toEqual([
      { decision: 'reject', ind: wrong, undone: 0 },
      { decision: 'confirm', ind: q1.truth, undone: 1 },
    ]);
    expect(screen.getByTestId('review-status').textContent).toMatch(/^Undid confirm/);
  });

  it('ignores decision keys while typing in a field, and N creates a new individual', async () => {
    await screen.findByTestId('candidate-1');
    const input = document.createElement('input');
    document.body.append(input);
    act(() => void fireEvent.keyDown(input, { key: 'n' }));
    expect(decisions()).toEqual([]);
    input.remove();
    await key('n');
    await waitFor(() => expect(queryId()).toBe(fx.queries[1].annotationId));
    await waitFor(() => expect(screen.getByTestId('review-status').textContent).toContain('ID-0001'));
    const code = backend.catalog.db.prepare('SELECT i.code FROM annotations a JOIN individuals i ON i.id = a.individual_id WHERE a.id = ?').pluck().get(fx.queries[0].annotationId);
    expect(code).toBe('ID-0001');
    expect(screen.getByTestId('review-status').textContent).toContain('ID-0001');
  });

  it('follows the desktop menu: Review > Skip and Undo do what S and Ctrl+Z do', async () => {
    await screen.findByTestId('candidate-1');
    const first = queryId();
    act(() => useMenuCommand.setState({ last: { command: 'review.skip', seq: 1 } }));
    await waitFor(() => expect(queryId()).not.toBe(first));
    await waitFor(() => expect(decisions()).toEqual([{ decision: 'skip', ind: null, undone: 0 }]));
    act(() => useMenuCommand.setState({ last: { command: 'review.undo', seq: 2 } }));
    await waitFor(() => expect(decisions()).toEqual([{ decision: 'skip', ind: null, undone: 1 }]));
  });
});
