import { create } from 'zustand';
import type { JobInfo } from '../../../electron/contract';
import { api } from '../api/bridge';

interface ImportState {
  /** The import job this window is following (started here, resumed here, or found running). */
  job: JobInfo | null;
  track(job: JobInfo): void;
  clear(): void;
}

let unsubscribe: (() => void) | null = null;

/** The followed import job, kept outside the screen so progress survives leaving and coming back. */
export const useImportJob = create<ImportState>((set, get) => ({
  job: null,
  track: (job) => {
    set({ job });
    unsubscribe ??= api().on('job.updated', (info) => {
      if (info.id === get().job?.id) set({ job: info });
    });
  },
  clear: () => set({ job: null }),
}));
