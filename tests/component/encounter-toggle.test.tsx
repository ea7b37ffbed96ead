// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Backend } from '../../electron/core/api/backend';
import { setBridge } from '../../renderer/src/api/bridge';
import { ReviewScreen } from '../../renderer/src/screens/ReviewScreen';
import { useEncounterMatching } from '../../renderer/src/stores/encounter-matching';
import { useReviewSession } from '../../renderer/src/stores/review-session';
import { backendBridge } from '../helpers/backend-bridge';
import { encounterCatalog } from '../helpers/encounter-fixture';

// As in review-screen.test.tsx: onnxruntime must get Node's typed arrays, not jsdom's.
globalThis.Uint8Array = Object.getPrototypeOf(Buffer.prototype).constructor;

/** The review screen's 'Whole encounter' toggle against a real catalog and the real matcher. */
describe('ReviewScreen encounter toggle', () => {
  let backend: Backend;
  afterEach(async () => {
    cleanup();
    setBridge(undefined);
    await backend.close();
  });

  it('is offered where the encounter has other unidentified photos, and re-ranks with them', async () => {
    const { catalog, individualIds } = encounterCatalog();
    const file = catalog.file;
    catalog.close();
    backend = new Backend(file);
    setBridge(backendBridge(backend));
    useEncounterMatching.setState({ on: false });
    useReviewSession.setState({ currentId: null, selected: 0, done: [], helpOpen: false, busy: false, last: null });
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <ReviewScreen />
      </QueryClientProvider>,
    );
    const first = () => Number(screen.getByTestId('candidate-1').getAttribute('data-individual-id'));
    await screen.findByTestId('candidate-1');
    // the first query is the left photo: alone, it is fooled by B's similar left flank
    expect(first()).toBe(individualIds.get('B'));
    const toggle = screen.getByTestId('encounter-toggle');
    expect(toggle.textContent).toContain('1 other unidentified photo');
    await act(async () => void fireEvent.click(toggle.querySelector('input')!));
    expect(useEncounterMatching.getState().on).toBe(true);
    await waitFor(() => expect(first()).toBe(individualIds.get('A')), { timeout: 5000 });
  });
});
