import { create } from 'zustand';

export interface LastAction {
  text: string;
  kind: 'ok' | 'warn' | 'error';
}

interface ReviewSessionState {
  /** The query on screen; null = the first of the queue. */
  currentId: number | null;
  /**
   * Position of the entry the reviewer selected in the displayed list (candidates with "new" in its
   * ranked place); null = not chosen yet, which shows the best candidate and never "new individual".
   */
  selected: number | null;
  /** Candidates of every side and body part, not only the query's (kept from query to query). */
  anySide: boolean;
  /** Which of the selected candidate's photos the compare viewer shows: 0 = the best match, then its strip. */
  photo: number;
  /** Identified in this session and not undone: hidden until the queue refetch drops them. */
  done: number[];
  helpOpen: boolean;
  busy: boolean;
  last: LastAction | null;
  show(id: number | null): void;
  select(i: number, photo?: number): void;
  setAnySide(anySide: boolean): void;
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
  selected: null,
  anySide: false,
  photo: 0,
  done: [],
  helpOpen: false,
  busy: false,
  last: null,
  show: (id) => set({ currentId: id, selected: null, photo: 0 }),
  select: (selected, photo = 0) => set({ selected, photo }),
  setAnySide: (anySide) => set({ anySide, selected: null, photo: 0 }),
  setPhoto: (photo) => set({ photo }),
  markDone: (id) => set((s) => ({ done: s.done.includes(id) ? s.done : [...s.done, id] })),
  unmarkDone: (id) => set((s) => ({ done: s.done.filter((d) => d !== id) })),
  setHelp: (helpOpen) => set({ helpOpen }),
  setBusy: (busy) => set({ busy }),
  say: (last) => set({ last }),
}));
