// @vitest-environment jsdom
import fs from 'node:fs';
import path from 'node:path';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { CaudalBridge } from '../../electron/contract';
import { Backend } from '../../electron/core/api/backend';
import { runExport } from '../../electron/core/exchange/run-export';
import { noProgress } from '../../electron/core/export/progress';
import { setBridge } from '../../renderer/src/api/bridge';
import { ExportScreen } from '../../renderer/src/screens/ExportScreen';
import { buildCatalog } from '../helpers/fixture-catalog';
import { seasonA } from '../helpers/exchange-fixtures';
import { tmpDir } from '../helpers/tmp';

/** The renderer's one client, answered in-process by a real backend on a real catalog file. */
function backendBridge(b: Backend): CaudalBridge {
  return {
    transport: 'ipc',
    request: (name, params) => b.request(name, params),
    on: (event, listener) => b.onEvent((e, payload) => ((e as string) === (event as string) ? listener(payload as never) : undefined)),
    mediaUrl: (kind, id) => `caudal-media://${kind}/${id}`,
  };
}

describe('Export screen (jsdom, real backend)', () => {
  let dir: string;
  let backend: Backend;
  let otherBundle: string;

  beforeAll(async () => {
    dir = tmpDir();
    (await buildCatalog(path.join(dir, 'a.sqlite'), seasonA)).close();
    // another laptop's catalog: same history for ID-0001, but its photo 1 says ID-0002
    const other = await buildCatalog(path.join(dir, 'other.sqlite'), {
      individuals: [{ code: 'ID-0001', name: 'Salt, "the" Ñandú', sex: 'female' }, { code: 'ID-0002', name: 'Pepper' }],
      photos: [{ seed: 1, annotations: [{ code: 'ID-0002', box: [5, 5, 40, 30] }] }],
      decisionAt: '2026-02-01T00:00:00.000Z',
    });
    otherBundle = path.join(dir, 'other.caudal');
    await runExport(other, 'bundle', otherBundle, {}, noProgress);
    other.close();
    backend = new Backend(path.join(dir, 'a.sqlite'));
    setBridge(backendBridge(backend));
  });

  afterAll(async () => {
    cleanup();
    setBridge(undefined);
    await backend.close();
  });

  it('exports with progress and says where the files went; merges and resolves a conflict', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={qc}>
        <ExportScreen />
      </QueryClientProvider>,
    );
    const out = path.join(dir, 'out', 'sightings.csv');
    fireEvent.click(screen.getByTestId('export-kind-sightings'));
    expect((screen.getByTestId('export-go') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('export-out'), { target: { value: out } });
    fireEvent.click(screen.getByTestId('export-go'));
    // dir/out does not exist: the screen asks before making it, and nothing is made until it is told to.
    const ask = await screen.findByTestId('export-mkdir');
    expect(ask.textContent).toContain(`The folder ${path.join(dir, 'out')} does not exist`);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    fireEvent.click(screen.getByTestId('export-mkdir-yes'));
    const result = await screen.findByTestId('export-result', {}, { timeout: 10_000 });
    expect(result.textContent).toContain('Wrote 6 rows and 5 photos to');
    expect(result.textContent).toContain(out);
    expect(fs.existsSync(out)).toBe(true);

    // a bad path fails as a job with the reason shown
    fireEvent.click(screen.getByTestId('export-kind-bundle'));
    fireEvent.change(screen.getByTestId('export-out'), { target: { value: path.join(dir, 'a.sqlite') } });
    fireEvent.click(screen.getByTestId('export-go'));
    await waitFor(() => expect(screen.getByTestId('export-job').getAttribute('data-state')).toBe('failed'));
    expect(screen.getByRole('alert').textContent).toMatch(/refusing to write the export over the catalog/);

    expect(await screen.findByTestId('no-conflicts')).toBeTruthy();
    fireEvent.change(screen.getByTestId('merge-source'), { target: { value: otherBundle } });
    fireEvent.click(screen.getByTestId('merge-go'));
    const merged = await screen.findByTestId('merge-result', {}, { timeout: 10_000 });
    expect(merged.textContent).toContain('Conflicts: 1');
    const list = await screen.findByTestId('conflicts');
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0].textContent).toMatch(/IMG_0001.JPG is identified as ID-0001 here and as ID-0002 in/);
    await act(async () => {
      fireEvent.click(within(items[0]).getByText('Take the incoming identification'));
    });
    expect(await screen.findByTestId('no-conflicts')).toBeTruthy();
    const c = backend.catalog;
    expect(c.db.prepare("SELECT i.code FROM annotations a JOIN photos p ON p.id = a.photo_id JOIN individuals i ON i.id = a.individual_id WHERE p.original_name = 'IMG_0001.JPG'").pluck().get()).toBe('ID-0002');
  });

  it('offers the desktop save dialog when the shell has native dialogs', async () => {
    cleanup();
    const picked = path.join(dir, 'picked.caudal');
    const asked: string[] = [];
    const base = backendBridge(backend);
    setBridge({
      ...base,
      request: ((name: string, params: never) => {
        asked.push(name);
        if (name === 'system.capabilities') return Promise.resolve({ shell: 'electron', nativeDialogs: true, platform: 'linux' });
        if (name === 'system.pickSaveFile') return Promise.resolve({ path: picked, native: true });
        return base.request(name as never, params);
      }) as CaudalBridge['request'],
    });
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={qc}>
        <ExportScreen />
      </QueryClientProvider>,
    );
    fireEvent.click(screen.getByTestId('export-kind-bundle'));
    const choose = await screen.findAllByText('Choose…');
    await act(async () => {
      fireEvent.click(choose[0]);
    });
    await waitFor(() => expect((screen.getByTestId('export-out') as HTMLInputElement).value).toBe(picked));
    expect(asked).toContain('system.pickSaveFile');
    setBridge(backendBridge(backend));
  });
});
