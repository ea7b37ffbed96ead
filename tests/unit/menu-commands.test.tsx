// @vitest-environment jsdom
import { act, render } from '@testing-library/react';
import type { CaudalBridge, EventName } from '../../electron/contract';
import { setBridge } from '../../renderer/src/api/bridge';
import { useMenuCommand, useMenuCommands } from '../../renderer/src/stores/menu';
import { useNavigation } from '../../renderer/src/stores/navigation';

/** A bridge whose events the test fires, as the preload would deliver them from main. */
function eventBridge() {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const bridge: CaudalBridge = {
    transport: 'ipc',
    request: async () => {
      throw new Error('not used');
    },
    on: (event, l) => {
      const set = listeners.get(event) ?? new Set();
      set.add(l as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(l as (p: unknown) => void);
    },
    mediaUrl: () => '',
  };
  return { bridge, fire: (event: EventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)) };
}

function Host() {
  useMenuCommands();
  return null;
}

describe('native menu commands in the renderer', () => {
  it('navigate, and reach the screens through the menu store', () => {
    const { bridge, fire } = eventBridge();
    setBridge(bridge);
    const view = render(<Host />);
    act(() => fire('menu.command', { command: 'navigate.review' }));
    expect(useNavigation.getState().screen).toBe('review');
    act(() => fire('menu.command', { command: 'review.confirm' }));
    expect(useNavigation.getState().screen).toBe('review');
    expect(useMenuCommand.getState().last).toMatchObject({ command: 'review.confirm' });
    const seq = useMenuCommand.getState().last!.seq;
    act(() => fire('menu.command', { command: 'review.confirm' }));
    expect(useMenuCommand.getState().last!.seq).toBe(seq + 1);
    act(() => fire('menu.command', { command: 'import.folder', path: '/data/flukes' }));
    expect(useNavigation.getState().screen).toBe('import');
    expect(useMenuCommand.getState().last).toMatchObject({ command: 'import.folder', path: '/data/flukes' });
    view.unmount();
    act(() => fire('menu.command', { command: 'navigate.settings' }));
    expect(useNavigation.getState().screen).toBe('import'); // unsubscribed on unmount
    setBridge(undefined);
  });
});
