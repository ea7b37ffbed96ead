import { create } from 'zustand';
import type { ExportKind } from '../../../electron/contract';

/** The Export screen's choices and the jobs it started, kept while moving between screens. */
interface ExchangeState {
  kind: ExportKind;
  out: Partial<Record<ExportKind, string>>;
  thumbnails: boolean;
  referencedOnly: boolean;
  mediaBaseUrl: string;
  exportJob: number | null;
  mergeSource: string;
  mergeFormat: 'bundle' | 'sightings' | 'wildbook';
  mergeJob: number | null;
  set(patch: Partial<Omit<ExchangeState, 'set' | 'setOut'>>): void;
  setOut(kind: ExportKind, path: string): void;
}

export const useExchange = create<ExchangeState>((set) => ({
  kind: 'sightings',
  out: {},
  thumbnails: false,
  referencedOnly: false,
  mediaBaseUrl: '',
  exportJob: null,
  mergeSource: '',
  mergeFormat: 'bundle',
  mergeJob: null,
  set: (patch) => set(patch),
  setOut: (kind, path) => set((s) => ({ out: { ...s.out, [kind]: path } })),
}));
