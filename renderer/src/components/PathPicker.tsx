import type { FileFilter } from '../../../electron/contract';
import { api } from '../api/bridge';
import { useRequest } from '../api/queries';

export type PickKind = 'save' | 'open' | 'folder';

/**
 * "Choose…" beside a typed path: a native dialog in the desktop app; in browser mode there is
 * none (the shell says so) and the typed path is the way.
 */
export function PathPicker({ kind, title, filters, onPick, testId }: { kind: PickKind; title: string; filters?: FileFilter[]; onPick(path: string): void; testId?: string }) {
  const caps = useRequest('system.capabilities', {}, { staleTime: Infinity });
  if (!caps.data?.nativeDialogs) return null;
  const pick = async () => {
    const r =
      kind === 'folder'
        ? await api().request('system.pickFolder', { title })
        : kind === 'open'
          ? await api().request('system.pickFile', { title, filters })
          : await api().request('system.pickSaveFile', { title, filters });
    if (r.path) onPick(r.path);
  };
  return (
    <button type="button" className="secondary" data-testid={testId} onClick={() => void pick()}>
      Choose…
    </button>
  );
}
