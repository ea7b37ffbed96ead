import { create } from 'zustand';

interface EncounterBrowserState {
  encounterId: number | null;
  pick(id: number | null): void;
}

export const useEncounterBrowser = create<EncounterBrowserState>((set) => ({
  encounterId: null,
  pick: (encounterId) => set({ encounterId }),
}));
