// @vitest-environment jsdom
import path from 'node:path';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { CaudalBridge, Estimate, TrainingEstimate } from '../../../electron/contract';
import { Backend } from '../../../electron/core/api/backend';
import { setBridge } from '../../../renderer/src/api/bridge';
import { Summary } from '../../../renderer/src/components/Summary';
import { TrainingScreen } from '../../../renderer/src/screens/TrainingScreen';
import { catalogFromFeatureSet } from '../../integration/training/fixture';
import { tmpDir } from '../../helpers/tmp';
import { syntheticSet } from './synthetic';

afterEach(cleanup);

describe('Training screen (real backend in-process)', () => {
  let backend: Backend;
  beforeAll(() => {
    const file = path.join(tmpDir(), 'cat.sqlite');
    catalogFromFeatureSet(file, syntheticSet(2)).close();
    backend = new Backend(file);
    const bridge: CaudalBridge = {
      transport: 'http',
      request: (name, params) => backend.request(name, params),
      on: (event, listener) => backend.onEvent((e, p) => (e as string) === event && listener(p as never)),
      mediaUrl: (kind, id) => `/media/${kind}/${id}`,
    };
    setBridge(bridge);
  });
  afterAll(async () => {
    setBridge(undefined);
    await backend.close();
  });

  it('shows the confirmed counts, runs a training live with charts, then the before/after and the new active model', async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <TrainingScreen />
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('training-individuals').textContent).toBe('40'));
    // The K choice says what each measured K is for.
    const options = [...screen.getByTestId('training-learners').querySelectorAll('option')].map((o) => o.textContent);
    expect(options).toEqual(['1: plain margin loss', '2: default, best for re-sightings of known animals', '4: best for new individuals', '8']);
    expect((screen.getByTestId('training-learners') as HTMLSelectElement).value).toBe('2');
    fireEvent.change(screen.getByTestId('training-learners'), { target: { value: '1' } });
    fireEvent.change(screen.getByTestId('training-epochs'), { target: { value: '30' } });
    fireEvent.click(screen.getByTestId('training-start'));
    // Live: the loss chart gets a polyline with points while the job runs or once it is done.
    await waitFor(() => expect(screen.getByTestId('chart-loss-validate').querySelector('polyline[data-series="loss"]')?.getAttribute('points')?.split(' ').length).toBeGreaterThan(5), { timeout: 90_000 });
    await waitFor(() => expect(screen.getByTestId('training-compare')).toBeTruthy(), { timeout: 90_000 });
    // Each run has its own chart counting its own epochs 1..30 (not one 1..200 axis), and every retrieval series its own colour.
    for (const run of ['validate', 'final']) {
      const chart = screen.getByTestId(`chart-loss-${run}`);
      const xs = chart.querySelector('polyline[data-series="loss"]')!.getAttribute('points')!.split(' ');
      expect(xs.length, run).toBe(30);
      const ticks = [...chart.querySelectorAll('text')].map((t) => Number(t.textContent)).filter((n) => Number.isInteger(n) && n >= 1);
      expect(Math.max(...ticks), run).toBe(30);
    }
    const retrieval = [...screen.getByTestId('chart-metrics').querySelectorAll('polyline')];
    expect(retrieval.length).toBe(4);
    expect(new Set(retrieval.map((p) => p.getAttribute('stroke'))).size).toBe(4);
    // K stays as chosen after the run, and when the screen is left and opened again.
    expect((screen.getByTestId('training-learners') as HTMLSelectElement).value).toBe('1');
    cleanup();
    render(
      <QueryClientProvider client={new QueryClient()}>
        <TrainingScreen />
      </QueryClientProvider>,
    );
    // The finished run comes back with the screen (from the training status).
    await waitFor(() => expect(screen.getByTestId('training-compare')).toBeTruthy(), { timeout: 30_000 });
    expect((screen.getByTestId('training-learners') as HTMLSelectElement).value).toBe('1');
    expect(screen.getByTestId('training-compare').textContent).toContain('Later sightings: rank-1');
    await waitFor(() => expect(screen.getByTestId('models-table').textContent).toContain('active'));
    const active = backend.catalog.db.prepare('SELECT id FROM models WHERE active = 1').pluck().get() as string;
    expect(active).toMatch(/^ft-/);
    // Before and after on the catalog's own individuals, cross-validated, each with its 95% interval, and the recommendation.
    const { estimate } = JSON.parse(backend.catalog.db.prepare('SELECT metrics FROM models WHERE id = ?').pluck().get(active) as string) as { estimate: TrainingEstimate };
    const iv = (e: Estimate) => `${e.value.toFixed(3)} [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}]`;
    const cells = (label: string) => [...screen.getByTestId('training-compare').querySelectorAll('tr')].find((r) => r.cells[0].textContent === label)!.cells;
    const r1 = cells('Later sightings: rank-1');
    expect(r1[1].textContent).toBe(iv(estimate.pretrained.resight.rank1));
    expect(r1[2].textContent).toBe(iv(estimate.candidate.resight.rank1));
    expect(r1[3].textContent).toBe(`+${iv(estimate.gainOverPretrained.resight.rank1)}`);
    expect(estimate.candidate.resight.rank1.lo).toBeLessThan(estimate.candidate.resight.rank1.value);
    expect(estimate.folds).toBe(5);
    expect(screen.getByTestId('training-estimate-basis').textContent).toContain('5-fold cross-validation over individuals');
    expect(estimate.recommend).toBe(true);
    expect(estimate.gainOverPretrained.score.lo).toBeGreaterThan(0);
    expect(screen.getByTestId('training-recommendation').textContent).toContain('Recommended: activate it.');
    expect(screen.getByTestId('training-recommendation').textContent).toContain(`Model ${active} is now active.`);
    // The K picked on the screen is the K that trained.
    expect(JSON.parse(backend.catalog.db.prepare('SELECT params FROM models WHERE id = ?').pluck().get(active) as string).head.slices).toBe(1);
    // The held-out numbers travel with every model: the run's own 'after', and its 'before' for the backbone it started from.
    const stored = JSON.parse(backend.catalog.db.prepare('SELECT metrics FROM models WHERE id = ?').pluck().get(active) as string);
    const listed = await backend.request('models.list', {});
    expect(listed.find((m) => m.id === active)!.heldOut).toEqual({ metrics: stored.after, run: active });
    expect(listed.find((m) => m.id === 'tiny-backbone')!.heldOut).toEqual({ metrics: stored.before, run: active });
    const row = (id: string) => screen.getByTestId('models-table').querySelector(`tr[data-model="${id}"] [data-testid="model-metrics"]`)!.textContent!;
    await waitFor(() => expect(row(active)).toContain(`unseen rank-1 ${stored.after.unseen.rank1.toFixed(3)}`));
    expect(row(active)).toContain(`later sightings rank-1 ${stored.after.resight.rank1.toFixed(3)}`);
    expect(row('tiny-backbone')).toContain(`unseen rank-1 ${stored.before.unseen.rank1.toFixed(3)}`);
    // The catalog's summary shows the same numbers for the active model.
    render(
      <QueryClientProvider client={new QueryClient()}>
        <Summary />
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('active-model-metrics').textContent).toContain(`unseen rank-1 ${stored.after.unseen.rank1.toFixed(3)} · MAP@5 ${stored.after.unseen.map5.toFixed(3)}`));
    fireEvent.click(screen.getByTestId('models-rollback'));
    await waitFor(() => expect(backend.catalog.db.prepare('SELECT id FROM models WHERE active = 1').pluck().get()).toBe('tiny-backbone'));
  });
});
