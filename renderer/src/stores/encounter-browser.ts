import { create } from 'zustand';

interface EncounterBrowserState {
  encounterId: number | null;
  /** The photo open for box editing; null = the encounter's grid. */
  photoId: number | null;
  /** 'undated': only encounters without a date (where an export sends people to fix them). */
  filter: 'all' | 'undated';
  pick(id: number | null): void;
  open(photoId: number | null): void;
  setFilter(filter: 'all' | 'undated', encounterId?: number | null): void;
}

export const useEncounterBrowser = create<EncounterBrowserState>((set) => ({
  encounterId: null,
  photoId: null,
  filter: 'all',
  pick: (encounterId) => set({ encounterId, photoId: null }),
  open: (photoId) => set({ photoId }),
  setFilter: (filter, encounterId = null) => set({ filter, encounterId, photoId: null }),
}));
