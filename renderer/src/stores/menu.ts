import { useEffect } from 'react';
import { create } from 'zustand';
import type { MenuCommand, SystemEvents } from '../../../electron/contract';
import { api } from '../api/bridge';
import { useNavigation, type Screen } from './navigation';

interface MenuState {
  /** The latest native-menu command; `seq` changes every time so repeats are seen. */
  last: (SystemEvents['menu.command'] & { seq: number }) | null;
}

/** Screens react to menu commands meant for them (review shortcuts, import folder) from here. */
export const useMenuCommand = create<MenuState>(() => ({ last: null }));

const screenFor: Partial<Record<MenuCommand, Screen>> = {
  'navigate.catalog': 'catalog',
  'navigate.import': 'import',
  'navigate.review': 'review',
  'navigate.training': 'training',
  'navigate.export': 'export',
  'navigate.settings': 'settings',
  'import.folder': 'import',
  'export.open': 'export',
};

/** Listens to the native menu (desktop app only; browser mode never sends it). */
export function useMenuCommands(): void {
  useEffect(() => {
    let seq = 0;
    return api().on('menu.command', (payload) => {
      const screen = screenFor[payload.command];
      if (screen) useNavigation.getState().go(screen);
      useMenuCommand.setState({ last: { ...payload, seq: ++seq } });
    });
  }, []);
}
