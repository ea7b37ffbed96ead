import { create } from 'zustand';

export interface LastAction {
  text: string;
  kind: 'ok' | 'warn' | 'error';
}

interface ReviewSessionState {
  /** The query on screen; null = the first of the queue. */
  currentId: number | null;
  /** Position of the selected entry in the displayed list (candidates with "new" in its ranked place). */
  selected: number;
  /** Which of the selected candidate's photos the compare viewer shows: 0 = the best match, then its strip. */
  photo: number;
  /** Identified in this session and not undone: hidden until the queue refetch drops them. */
  done: number[];
  helpOpen: boolean;
  busy: boolean;
  last: LastAction | null;
  show(id: number | null): void;
  select(i: number, photo?: number): void;
  setPhoto(photo: number): void;
  markDone(id: number): void;
  unmarkDone(id: number): void;
  setHelp(open: boolean): void;
  setBusy(busy: boolean): void;
  say(last: LastAction | null): void;
}

/** Where the reviewer is in the queue and what they have selected. */
export const useReviewSession = create<ReviewSessionState>((set) => ({
  currentId: null,
  selected: 0,
  photo: 0,
  done: [],
  helpOpen: false,
  busy: false,
  last: null,
  show: (id) => set({ currentId: id, selected: 0, photo: 0 }),
  select: (selected, photo = 0) => set({ selected, photo }),
  setPhoto: (photo) => set({ photo }),
  markDone: (id) => set((s) => ({ done: s.done.includes(id) ? s.done : [...s.done, id] })),
  unmarkDone: (id) => set((s) => ({ done: s.done.filter((d) => d !== id) })),
  setHelp: (helpOpen) => set({ helpOpen }),
  setBusy: (busy) => set({ busy }),
  say: (last) => set({ last }),
}));
