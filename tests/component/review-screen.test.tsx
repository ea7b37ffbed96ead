// @vitest-environment jsdom
import '../helpers/node-typed-arrays';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, configure, fireEvent, render, screen, waitFor } from '@testing-library/react';
import path from 'node:path';
import { Backend } from '../../electron/core/api/backend';
import { setBridge } from '../../renderer/src/api/bridge';
import { ReviewScreen } from '../../renderer/src/screens/ReviewScreen';
import { useMenuCommand } from '../../renderer/src/stores/menu';
import { useReviewSession } from '../../renderer/src/stores/review-session';
import { backendBridge } from '../helpers/backend-bridge';
import { buildReviewCatalog, type ReviewFixture } from '../helpers/review-fixture';
import { tmpDir } from '../helpers/tmp';

// Waits end when the screen shows what is awaited, never on a clock: on two busy cores a real
// match can take seconds, so the default 1 s limit failed tests that were right (issue 19).
configure({ asyncUtilTimeout: 45_000 });

/** A backend on the fixture for each test; each test starts from the same catalog, its changes rolled back afterwards. */
function backendPerTest(file: () => string): () => Backend {
  let backend: Backend;
  beforeEach(() => {
    backend = new Backend(file());
    backend.catalog.db.exec('SAVEPOINT t');
    setBridge(backendBridge(backend));
    useReviewSession.setState({ currentId: null, selected: null, anySide: false, done: [], helpOpen: false, busy: false, last: null });
  });
  afterEach(async () => {
    cleanup();
    setBridge(undefined);
    backend.catalog.db.exec('ROLLBACK TO t; RELEASE t');
    await backend.close();
  });
  return () => backend;
}

function renderScreen(): void {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ReviewScreen />
    </QueryClientProvider>,
  );
}

/** The workbench in jsdom against a real catalog and the real matcher: keys, candidate list, undo. */
describe('ReviewScreen', () => {
  let fx: ReviewFixture;
  let backend: Backend;

  beforeAll(async () => {
    fx = await buildReviewCatalog(path.join(tmpDir(), 'component.sqlite'), { individuals: 5, photosPerIndividual: 2, queries: 3, newQueries: 1 });
  });
  const current = backendPerTest(() => fx.file);
  beforeEach(() => {
    backend = current();
    renderScreen();
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
    const match = await backend.request('match.annotation', { annotationId: fx.queries[0].annotationId, top: 10 });
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

/**
 * A catalog big enough for the open-set estimate (10 individuals, 3 photos each): keys equal
 * ranks, "new individual" takes its calibrated rank and is never chosen by Enter unless selected,
 * counters count the whole queue, candidates keep to the query's side unless the toggle says not.
 */
describe('ReviewScreen with a calibrated new-individual estimate', () => {
  let fx: ReviewFixture;
  let backend: Backend;
  const key = (k: string, extra: Partial<KeyboardEventInit> = {}) => act(() => void fireEvent.keyDown(window, { key: k, ...extra }));
  const options = () => screen.getAllByRole('option');
  const selectedOption = () => options().find((o) => o.getAttribute('aria-selected') === 'true');
  const queryId = () => Number(screen.getByTestId('review-query').getAttribute('data-annotation-id'));
  const decisions = () => backend.catalog.db.prepare('SELECT decision, individual_id AS ind FROM decisions WHERE undone_at IS NULL ORDER BY id').all() as Array<{ decision: string; ind: number | null }>;
  const individualCount = () => backend.catalog.db.prepare('SELECT COUNT(*) FROM individuals').pluck().get() as number;

  beforeAll(async () => {
    fx = await buildReviewCatalog(path.join(tmpDir(), 'calibrated.sqlite'), { individuals: 10, photosPerIndividual: 3, queries: 2, newQueries: 1, seed: 7 });
  });
  const current = backendPerTest(() => fx.file);
  beforeEach(() => void (backend = current()));
  const show = (first?: number) => {
    if (first !== undefined) useReviewSession.setState({ currentId: first });
    renderScreen();
  };

  it('gives every candidate its rank as key (0 = the 10th), "new" the key N, and counts the whole queue', async () => {
    show();
    await screen.findByTestId('candidate-10');
    const match = await backend.request('match.annotation', { annotationId: fx.queries[0].annotationId, top: 10 });
    expect(match.newIndividual.calibrated).toBe(true);
    expect(options()).toHaveLength(11);
    expect(options().indexOf(screen.getByTestId('candidate-new'))).toBe(match.newIndividual.rank - 1);
    expect(options().map((o) => o.querySelector('.cand-key')?.textContent)).toEqual(
      options().map((o) => (o.getAttribute('data-testid') === 'candidate-new' ? 'N' : String(Number(o.getAttribute('data-testid')!.slice(10)) % 10))),
    );
    // The best candidate is selected to begin with, and its probability is shown beside the score.
    expect(selectedOption()).toBe(screen.getByTestId('candidate-1'));
    expect(screen.getByTestId('candidate-1').textContent).toMatch(/p ≈ [01]\.\d\d/);
    await key('0');
    expect(selectedOption()).toBe(screen.getByTestId('candidate-10'));
    await key('3');
    expect(selectedOption()).toBe(screen.getByTestId('candidate-3'));
    // 3 queries in all: "1/3", and after a decision "1/2" (not the page size, not the page left).
    expect(screen.getByTestId('query-counter').textContent).toBe('1/3');
    await key('s');
    await waitFor(() => expect(screen.getByTestId('query-counter').textContent).toMatch(/^\d\/3$/));
    await key('1');
    await key('Enter');
    await waitFor(() => expect(screen.getByTestId('query-counter').textContent).toMatch(/^\d\/2$/));
    await waitFor(() => expect(screen.getByTestId('review-progress').textContent).toContain('2 left'));
  });

  it('puts "new individual" first for an animal not in the catalog, yet Enter confirms the selected candidate, never "new"', async () => {
    const fresh = fx.queries.find((q) => q.truth === null)!.annotationId;
    show(fresh);
    await screen.findByTestId('candidate-1');
    expect(queryId()).toBe(fresh);
    expect(options()[0]).toBe(screen.getByTestId('candidate-new'));
    expect(screen.getByTestId('new-probability').textContent).toMatch(/p ≈ (0\.[6-9]\d|1\.00)/);
    expect(selectedOption()).toBe(screen.getByTestId('candidate-1'));
    const before = individualCount();
    // Enter: the selected candidate, not the top-ranked "new individual".
    const first = Number(screen.getByTestId('candidate-1').getAttribute('data-individual-id'));
    await key('Enter');
    await waitFor(() => expect(decisions()).toEqual([{ decision: 'confirm', ind: first }]));
    expect(individualCount()).toBe(before);
    await key('z', { ctrlKey: true });
    await waitFor(() => expect(decisions()).toEqual([]));
    await waitFor(() => expect(queryId()).toBe(fresh));
    // Selected on purpose (arrow up onto it), Enter creates it.
    await screen.findByTestId('candidate-1');
    await waitFor(() => expect(selectedOption()).toBe(screen.getByTestId('candidate-1')));
    await key('ArrowUp');
    expect(selectedOption()).toBe(screen.getByTestId('candidate-new'));
    await key('Enter');
    await waitFor(() => expect(decisions().map((d) => d.decision)).toEqual(['new']));
    expect(individualCount()).toBe(before + 1);
  });

  it('keeps candidates to the query\'s side and the catalog\'s body part, with a visible toggle for all sides', async () => {
    const db = backend.catalog.db;
    // Individuals 1-5 photographed on the left, 6-10 on the right; the first query is a left flank.
    const ids = fx.individuals.map((i) => i.id);
    db.prepare(`UPDATE annotations SET side = CASE WHEN individual_id IN (${ids.slice(0, 5).join(',')}) THEN 'left' ELSE 'right' END WHERE individual_id IS NOT NULL`).run();
    db.prepare("UPDATE annotations SET side = 'left' WHERE id = ?").run(fx.queries[0].annotationId);
    backend.catalog.store.settings.set('bodyPart', 'flank');
    show();
    await screen.findByTestId('candidate-1');
    const shownIds = () => screen.queryAllByRole('option').map((o) => Number(o.getAttribute('data-individual-id'))).filter((x) => x > 0);
    await waitFor(() => expect(shownIds()).toHaveLength(5));
    expect(shownIds().every((id) => ids.slice(0, 5).includes(id))).toBe(true);
    expect(screen.getByTestId('query-body-part').textContent).toBe('flank');
    const toggle = screen.getByTestId('same-side-toggle') as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    expect(toggle.parentElement!.textContent).toContain('Only left flank');
    act(() => void fireEvent.click(toggle));
    await waitFor(() => expect(shownIds()).toHaveLength(10));
    expect((screen.getByTestId('same-side-toggle') as HTMLInputElement).checked).toBe(false);
  });
});
