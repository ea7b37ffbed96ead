import { create } from 'zustand';

/** `'unsorted'`: the photos outside any encounter. */
export type EncounterPick = number | 'unsorted';

interface EncounterBrowserState {
  encounterId: EncounterPick | null;
  /** The photo open for box editing; null = the encounter's grid. */
  photoId: number | null;
  /** Encounters ticked in the list, for editing several at once. */
  ticked: number[];
  /** The editor is open (for the ticked encounters, else the current one). */
  editing: boolean;
  pick(id: EncounterPick | null): void;
  open(photoId: number | null): void;
  tick(id: number): void;
  clearTicks(): void;
  edit(on: boolean): void;
  /** 'undated': only encounters without a date (where an export sends people to fix them). */
  filter: 'all' | 'undated';
  /** With 'undated': photos an export left out that belong to no encounter, to open one by one. */
  loose: Array<{ id: number; name: string }>;
  setFilter(filter: 'all' | 'undated', encounterId?: number | null, loose?: Array<{ id: number; name: string }>): void;
}

export const useEncounterBrowser = create<EncounterBrowserState>((set) => ({
  encounterId: null,
  photoId: null,
  ticked: [],
  editing: false,
  pick: (encounterId) => set({ encounterId, photoId: null, editing: false }),
  open: (photoId) => set({ photoId }),
  tick: (id) => set((s) => ({ ticked: s.ticked.includes(id) ? s.ticked.filter((t) => t !== id) : [...s.ticked, id] })),
  clearTicks: () => set({ ticked: [] }),
  edit: (editing) => set({ editing, photoId: null }),
  filter: 'all',
  loose: [],
  setFilter: (filter, encounterId = null, loose = []) => set({ filter, encounterId, photoId: null, editing: false, loose }),
}));
