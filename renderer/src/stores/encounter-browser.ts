import { create } from 'zustand';

interface EncounterBrowserState {
  encounterId: number | null;
  /** The photo open for box editing; null = the encounter's grid. */
  photoId: number | null;
  /** 'undated': only encounters without a date (where an export sends people to fix them). */
  filter: 'all' | 'undated';
  /** With 'undated': photos an export left out that belong to no encounter, to open one by one. */
  loose: Array<{ id: number; name: string }>;
  pick(id: number | null): void;
  open(photoId: number | null): void;
  setFilter(filter: 'all' | 'undated', encounterId?: number | null, loose?: Array<{ id: number; name: string }>): void;
}

export const useEncounterBrowser = create<EncounterBrowserState>((set) => ({
  encounterId: null,
  photoId: null,
  filter: 'all',
  loose: [],
  pick: (encounterId) => set({ encounterId, photoId: null }),
  open: (photoId) => set({ photoId }),
  setFilter: (filter, encounterId = null, loose = []) => set({ filter, encounterId, photoId: null, loose }),
}));
