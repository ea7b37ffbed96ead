import { api } from './bridge';
import { useRequest } from './queries';

/** Native pickers for the Import screen; typed paths work everywhere, these only where a shell offers dialogs. */
export interface Pickers {
  /** A folder of photos; null when the person cancels. */
  photos(): Promise<string[] | null>;
  /** A labels CSV; null when cancelled. */
  labelsCsv(): Promise<string | null>;
}

/** The desktop app's dialogs (`system.pick*`); null in browser mode, where the person types or pastes paths. */
export function usePickers(): Pickers | null {
  const caps = useRequest('system.capabilities', {}, { staleTime: Infinity });
  if (!caps.data?.nativeDialogs) return null;
  return {
    photos: async () => {
      const r = await api().request('system.pickFolder', { title: 'Choose a folder of photos to import' });
      return r.path ? [r.path] : null;
    },
    labelsCsv: async () => {
      const r = await api().request('system.pickFile', { title: 'Choose a labels CSV', filters: [{ name: 'CSV', extensions: ['csv'] }] });
      return r.path;
    },
  };
}
