// @vitest-environment jsdom
import path from 'node:path';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Catalog } from '../../electron/core/store/catalog';
import { setBridge } from '../../renderer/src/api/bridge';
import { EmbeddingStatus } from '../../renderer/src/components/EmbeddingStatus';
import { useBackendInvalidation } from '../../renderer/src/api/queries';
import { insertPhoto, texturedJpeg } from '../helpers/catalog-rows';
import { sharedPath } from '../helpers/shared';
import { tmpDir } from '../helpers/tmp';
import { workerBridge } from '../helpers/worker-bridge';

/** The component against a real backend (real catalog, real embed job on the shared backbone) on a worker thread. */
describe('EmbeddingStatus', () => {
  let backend: Awaited<ReturnType<typeof workerBridge>>;
  let file: string;
  const dir = tmpDir('caudal-embstatus-');

  beforeAll(async () => {
    sharedPath('models', 'mobilenetv2-12-int8.onnx');
    process.env.CAUDAL_HOME ??= path.join(dir, 'home');
    file = path.join(dir, 'c.sqlite');
    const c = Catalog.open(file);
    for (let i = 0; i < 3; i++) await insertPhoto(c, await texturedJpeg(path.join(dir, `p${i}.jpg`), i + 10));
    c.close();
    backend = await workerBridge(file);
    setBridge(backend.bridge);
  });

  afterAll(async () => {
    setBridge(undefined);
    await backend?.close();
  });

  it('shows the provider and counts, embeds on click, and saves the device setting', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={qc}>
        <EmbeddingStatus />
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('embedding-counts').textContent).toBe('0 / 3 embedded'));
    expect(screen.getByTestId('embedding-provider').textContent).toBe('CPU');
    const cuda = screen.getByRole('option', { name: 'CUDA (NVIDIA GPU)' }) as HTMLOptionElement;
    expect(cuda.disabled).toBe(true); // not offered by this CPU-only build
    await act(async () => {
      fireEvent.change(screen.getByTestId('embedding-device'), { target: { value: 'cpu' } });
    });
    await waitFor(() => expect((screen.getByTestId('embedding-device') as HTMLSelectElement).value).toBe('cpu'));
    expect((await backend.bridge.request('settings.get', {})).device).toBe('cpu');
    const button = screen.getByTestId('embedding-start');
    expect(button.textContent).toBe('Embed 3');
    await act(async () => {
      fireEvent.click(button);
    });
    await waitFor(() => expect(screen.getByTestId('embedding-counts').textContent).toBe('3 / 3 embedded'), { timeout: 30_000 });
    await waitFor(() => expect(screen.getByTestId('embedding-start').textContent).toBe('All embedded'));
    expect(screen.getByText('in use')).toBeTruthy();
  });

  it('counts photos an import adds at once, without a reload', async () => {
    function WithEvents() {
      useBackendInvalidation();
      return <EmbeddingStatus />;
    }
    await backend.bridge.request('settings.set', { key: 'embedAfterImport', value: false });
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const { unmount } = render(
      <QueryClientProvider client={qc}>
        <WithEvents />
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('embedding-counts').at(-1)!.textContent).toBe('3 / 3 embedded'));
    const more = [await texturedJpeg(path.join(dir, 'q1.jpg'), 31), await texturedJpeg(path.join(dir, 'q2.jpg'), 32)];
    const job = await backend.bridge.request('import.start', { paths: more });
    await waitFor(async () => expect((await backend.bridge.request('jobs.get', { id: job.id })).state).toBe('done'));
    await waitFor(() => expect(screen.getAllByTestId('embedding-counts').at(-1)!.textContent).toBe('3 / 5 embedded'));
    unmount();
  });
});
