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
import { useMenuCommand } from '../../renderer/src/stores/menu';
import { makePhoto } from '../helpers/photos';
import { tmpDir } from '../helpers/tmp';

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
});
