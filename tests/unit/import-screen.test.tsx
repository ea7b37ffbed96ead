// @vitest-environment jsdom
import fs from 'node:fs';
import path from 'node:path';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { CaudalBridge } from '../../electron/contract';
import { Backend } from '../../electron/core/api/backend';
import { setBridge } from '../../renderer/src/api/bridge';
import { useBackendInvalidation } from '../../renderer/src/api/queries';
import { ImportScreen } from '../../renderer/src/screens/ImportScreen';
import { useImportJob } from '../../renderer/src/stores/import';
import { useMenuCommand } from '../../renderer/src/stores/menu';
import { importPhotos } from '../../electron/core/import/import';
import { makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';

/** The screen on its own backend, through a bridge whose events never arrive: only requests answer. */
function renderWithoutEvents(own: Backend): void {
  setBridge({ transport: 'http', request: (name, params) => own.request(name, params), on: () => () => {}, mediaUrl: (kind, id) => `/media/${kind}/${id}` });
  useImportJob.getState().clear();
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ImportScreen />
    </QueryClientProvider>,
  );
}

/** What App does around every screen: backend events refresh the cached requests. */
function WithEvents() {
  useBackendInvalidation();
  return <ImportScreen />;
}

describe('Import screen', () => {
  let backend: Backend;
  afterEach(cleanup);
  afterAll(async () => {
    setBridge(undefined);
    await backend?.close();
  });

  it('starts an import, shows its progress from job.updated events, then the summary and failures', async () => {
    const dir = tmpDir();
    for (let i = 0; i < 16; i++) await makePhoto(path.join(dir, `P${i}.jpg`), { width: 1000, height: 750, seed: i });
    fs.writeFileSync(path.join(dir, 'zero.jpg'), '');
    backend = new Backend(path.join(tmpDir(), 'cat.sqlite'));
    backend.catalog.store.settings.set('embedAfterImport', false); // embedding after import has its own test below
    const progressSeen: number[] = [];
    const bridge: CaudalBridge = {
      transport: 'http',
      request: (name, params) => backend.request(name, params),
      on: (event, listener) =>
        backend.onEvent((e, p) => {
          if ((e as string) === event) setTimeout(() => listener(p as never)); // asynchronous, like both transports
        }),
      mediaUrl: (kind, id) => `/media/${kind}/${id}`,
    };
    setBridge(bridge);
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <WithEvents />
      </QueryClientProvider>,
    );
    fireEvent.change(screen.getByTestId('import-paths'), { target: { value: `${dir}\n` } });
    fireEvent.click(screen.getByTestId('import-copy'));
    fireEvent.click(screen.getByTestId('import-start'));

    const bar = await screen.findByTestId('import-progress');
    expect(bar.getAttribute('role')).toBe('progressbar');
    const watch = setInterval(() => {
      const v = document.querySelector('[data-testid=import-progress]')?.getAttribute('aria-valuenow');
      if (v) progressSeen.push(Number(v));
    }, 5);
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 30_000 });
    clearInterval(watch);
    expect(summary.querySelector('[data-testid=import-imported] .stat-value')!.textContent).toBe('16');
    expect(screen.getByTestId('import-failures').textContent).toMatch(/zero\.jpg: empty file/);
    expect(progressSeen.length).toBeGreaterThan(0);
    // The copy option reached the backend.
    expect(backend.catalog.db.prepare('SELECT COUNT(*) FROM photos WHERE copied = 1').pluck().get()).toBe(16);
    await waitFor(() => expect(screen.getAllByRole('img')).toHaveLength(16)); // the grid refreshed on catalog.changed
  });

  it('offers the desktop\'s native pickers when the shell has them, and takes File > Import Folder', async () => {
    const asked: string[] = [];
    const base = backend;
    const bridge: CaudalBridge = {
      transport: 'ipc',
      request: (async (name: string, params: never) => {
        // What Electron's main answers for the system requests; everything else is the real backend.
        if (name === 'system.capabilities') return { shell: 'electron', nativeDialogs: true, platform: 'linux' };
        if (name === 'system.pickFolder') return (asked.push(name), { path: '/media/card/DCIM', native: true });
        if (name === 'system.pickFile') return (asked.push(name), { path: '/data/labels.csv', native: true });
        return base.request(name as never, params);
      }) as CaudalBridge['request'],
      on: () => () => {},
      mediaUrl: (kind, id) => `/media/${kind}/${id}`,
    };
    setBridge(bridge);
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <ImportScreen />
      </QueryClientProvider>,
    );
    const [folder, csv] = await screen.findAllByRole('button', { name: 'Choose…' });
    fireEvent.click(folder);
    await waitFor(() => expect((screen.getByTestId('import-paths') as HTMLTextAreaElement).value).toBe('/media/card/DCIM'));
    fireEvent.click(csv);
    await waitFor(() => expect((screen.getByTestId('import-labels') as HTMLInputElement).value).toBe('/data/labels.csv'));
    expect(asked).toEqual(['system.pickFolder', 'system.pickFile']);

    act(() => useMenuCommand.setState({ last: { command: 'import.folder', path: '/media/other card', seq: 1 } }));
    await waitFor(() => expect((screen.getByTestId('import-paths') as HTMLTextAreaElement).value).toBe('/media/card/DCIM\n/media/other card'));
  });

  it('says at once when a path does not exist, and asks for the species and body part once', async () => {
    const own = new Backend(path.join(tmpDir(), 'new.sqlite'));
    renderWithoutEvents(own);
    try {
      const missing = path.join(tmpDir(), 'no-such-card');
      fireEvent.change(screen.getByTestId('import-paths'), { target: { value: missing } });
      fireEvent.click(screen.getByTestId('import-start'));
      expect((await screen.findByTestId('import-error')).textContent).toBe(`no such file or folder: ${missing}`);
      // No job was started, so there is no "0 of 0 files" waiting forever.
      expect(screen.queryByTestId('import-status')).toBeNull();
      expect(own.jobs.list().filter((j) => j.kind === 'import')).toEqual([]);

      // A new catalog asks which animal it holds; once told, it says so in one line.
      const form = await screen.findByTestId('catalog-species-form');
      expect(form.textContent).toContain('Nothing is guessed');
      fireEvent.change(screen.getByTestId('catalog-species-input'), { target: { value: 'Tragelaphus angasii' } });
      fireEvent.change(screen.getByTestId('catalog-bodypart-input'), { target: { value: 'flank' } });
      fireEvent.click(screen.getByTestId('catalog-species-save'));
      expect((await screen.findByTestId('catalog-species')).textContent).toMatch(/This catalog: Tragelaphus angasii, flank\./);
      expect(screen.queryByTestId('catalog-species-form')).toBeNull();
      expect(own.catalog.store.settings.get('species', null)).toBe('Tragelaphus angasii');
      expect(own.catalog.store.settings.get('bodyPart', null)).toBe('flank');
    } finally {
      await own.close();
    }
  });

  it('follows an import whose events it never heard, counts labels apart from photos, and starts embedding after it', async () => {
    const dir = tmpDir();
    for (let i = 0; i < 3; i++) await makePhoto(path.join(dir, `N${i}.jpg`), { width: 320, height: 240, seed: 40 + i });
    const own = new Backend(path.join(tmpDir(), 'labels.sqlite'));
    // Two photos are already in the catalog: their labels are applied, not imported again.
    await importPhotos(own.catalog, { paths: [path.join(dir, 'N0.jpg'), path.join(dir, 'N1.jpg')] });
    const csv = path.join(dir, 'labels.csv');
    fs.writeFileSync(csv, 'image,individual\nN0.jpg,NY-1\nN1.jpg,NY-2\nN2.jpg,NY-2\ngone.jpg,NY-3\n');
    // Events never arrive (a browser tab whose socket reconnected): only reading the job back works.
    renderWithoutEvents(own);
    try {
      fireEvent.change(screen.getByTestId('import-paths'), { target: { value: dir } });
      fireEvent.change(screen.getByTestId('import-labels'), { target: { value: csv } });
      fireEvent.click(screen.getByTestId('import-start'));
      const summary = await screen.findByTestId('import-summary');
      const stat = (k: string) => summary.querySelector(`[data-testid=import-${k}] .stat-value`)!.textContent;
      expect(stat('imported')).toBe('1');
      expect(stat('duplicates')).toBe('2');
      expect(stat('labels')).toBe('3');
      expect(stat('failed')).toBe('0'); // the bad label row is not a file that failed
      expect(screen.queryByTestId('import-failures')).toBeNull();
      expect(screen.getByTestId('import-label-failures').textContent).toMatch(/labels\.csv:5: line 5: image gone\.jpg not found/);
      // embedAfterImport is on by default: an embed job follows the import by itself.
      await waitFor(() => expect(own.jobs.list().some((j) => j.kind === 'embed')).toBe(true));
      const embed = own.jobs.list().find((j) => j.kind === 'embed')!;
      own.jobs.cancel(embed.id);
    } finally {
      await own.close();
    }
  });
});
