// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import path from 'node:path';
import { deviceChoices } from '../../electron/contract';
import { Catalog } from '../../electron/core/store/catalog';
import { parseDevice } from '../../electron/core/vision/providers';
import { EmbeddingStatus } from '../../renderer/src/components/EmbeddingStatus';
import { SettingsScreen } from '../../renderer/src/screens/SettingsScreen';
import { bridgedBackend } from '../helpers/backend-bridge';
import { renderWithQueries } from '../helpers/render-with-queries';
import { tmpDir } from '../helpers/tmp';

/** One device list: the sidebar and Settings offer the contract's choices, and the backend takes exactly those. */
describe('device picker', () => {
  let bridged: Awaited<ReturnType<typeof bridgedBackend>>;
  beforeAll(async () => {
    const file = path.join(tmpDir(), 'device.sqlite');
    Catalog.open(file).close();
    bridged = await bridgedBackend(file);
  });
  afterEach(cleanup);
  afterAll(() => bridged.close());
  const request: typeof bridged.backend.request = (name, params) => bridged.backend.request(name, params);

  const options = (testId: string) => [...(screen.getByTestId(testId) as HTMLSelectElement).options].map((o) => [o.value, o.textContent, o.disabled]);

  it('offers the same choices in the sidebar and in Settings, and a choice made in one shows in the other', async () => {
    renderWithQueries(
      <>
        <EmbeddingStatus />
        <SettingsScreen />
      </>,
    );
    await waitFor(() => expect((screen.getByTestId('setting-device') as HTMLSelectElement).disabled).toBe(false));
    await waitFor(() => expect((screen.getByTestId('embedding-device') as HTMLSelectElement).disabled).toBe(false));
    const sidebar = options('embedding-device');
    expect(options('setting-device')).toEqual(sidebar);
    expect(sidebar.map(([v, label]) => [v, label])).toEqual(deviceChoices.map((d) => [d.value, d.label]));
    expect(sidebar.map(([v]) => v)).toEqual(expect.arrayContaining(['auto', 'gpu', 'cpu', 'webgpu']));
    // What this machine cannot run is shown but not choosable, the same in both.
    const available = (await request('embedding.status', {})).available;
    for (const [v, , disabled] of sidebar) {
      const d = deviceChoices.find((c) => c.value === v)!;
      expect(disabled, String(v)).toBe(Boolean(d.provider) && !available.includes(d.provider!));
    }
    for (const d of deviceChoices) expect(parseDevice(d.value)).toBe(d.value);
    expect(() => parseDevice('tpu')).toThrow(/must be one of auto, cpu, gpu, cuda, dml, coreml, webgpu/);

    fireEvent.change(screen.getByTestId('setting-device'), { target: { value: 'cpu' } });
    await waitFor(() => expect((screen.getByTestId('embedding-device') as HTMLSelectElement).value).toBe('cpu'));
    expect((await request('settings.get', {})).device).toBe('cpu');
    fireEvent.change(screen.getByTestId('embedding-device'), { target: { value: 'gpu' } });
    await waitFor(() => expect((screen.getByTestId('setting-device') as HTMLSelectElement).value).toBe('gpu'));
    expect((await request('settings.get', {})).device).toBe('gpu');
  });
});
