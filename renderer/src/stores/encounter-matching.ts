import { create } from 'zustand';

/**
 * Whether review queries a photo together with the other unidentified photos of its encounter, as
 * one animal (the 'Whole encounter' toggle). Off by default: an encounter may hold several animals.
 */
export const useEncounterMatching = create<{ on: boolean; set(on: boolean): void }>((set) => ({
  on: false,
  set: (on) => set({ on }),
}));
