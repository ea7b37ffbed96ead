import { create } from 'zustand';

interface EncounterBrowserState {
  encounterId: number | null;
  /** The photo open for box editing; null = the encounter's grid. */
  photoId: number | null;
  pick(id: number | null): void;
  open(photoId: number | null): void;
}

export const useEncounterBrowser = create<EncounterBrowserState>((set) => ({
  encounterId: null,
  photoId: null,
  pick: (encounterId) => set({ encounterId, photoId: null }),
  open: (photoId) => set({ photoId }),
}));
