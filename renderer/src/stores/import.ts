import { create } from 'zustand';
import { doneResult, type JobInfo } from '../../../electron/contract';
import { api } from '../api/bridge';

interface ImportState {
  /** The import job this window is following (started here, resumed here, or found running). */
  job: JobInfo | null;
  track(job: JobInfo): void;
  clear(): void;
}

let unsubscribe: (() => void) | null = null;
const final = (j: JobInfo | null) => j !== null && (j.state === 'done' || j.state === 'failed' || j.state === 'cancelled');

/**
 * Embedding starts by itself after an import that brought photos in (setting `embedAfterImport`),
 * so the sidebar's counts move without anyone pressing "Embed".
 */
async function embedAfter(job: JobInfo): Promise<void> {
  const report = doneResult(job, 'import');
  if (!report || report.imported === 0) return;
  const settings = await api().request('settings.get', {});
  if (settings.embedAfterImport === false) return;
  await api().request('embedding.start', {});
}

/** The followed import job, kept outside the screen so progress survives leaving and coming back. */
export const useImportJob = create<ImportState>((set, get) => {
  const accept = (info: JobInfo) => {
    const current = get().job;
    if (info.id !== current?.id) return;
    // Never step back from a final state to an older in-flight one (events and polls cross).
    if (final(current) && !final(info)) return;
    set({ job: info });
    if (!final(current) && info.state === 'done') void embedAfter(info).catch(() => {});
  };
  return {
    job: null,
    track: (job) => {
      set({ job });
      unsubscribe ??= api().on('job.updated', accept);
      // An import that ends before this window subscribed (a path that fails at once) sends its
      // last event too early to be heard: read the job back until it is final.
      const poll = () => {
        if (get().job?.id !== job.id || final(get().job)) return;
        void api().request('jobs.get', { id: job.id }).then(accept, () => {});
        setTimeout(poll, 1000);
      };
      poll();
    },
    clear: () => set({ job: null }),
  };
});
