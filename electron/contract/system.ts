import type { NameSet, RequestSpec } from './define';

/** What the running shell can do; browser mode has no native dialogs, so the UI shows a path field. */
export interface SystemCapabilities {
  shell: 'electron' | 'browser';
  nativeDialogs: boolean;
  platform: string;
}

/**
 * A native dialog's answer. `native: false` means no dialog exists here (browser mode) and the UI
 * must ask for a typed path instead; `path: null` with `native: true` means the person cancelled.
 */
export interface PickResult {
  path: string | null;
  native: boolean;
}

export interface FileFilter {
  name: string;
  /** Extensions without the dot, e.g. `['csv']`. */
  extensions: string[];
}

export interface SystemRequests {
  'system.capabilities': RequestSpec<Record<string, never>, SystemCapabilities>;
  'system.runtime': RequestSpec<Record<string, never>, RuntimeInfo>;
  'system.pickFolder': RequestSpec<{ title?: string; defaultPath?: string }, PickResult>;
  'system.pickFile': RequestSpec<{ title?: string; defaultPath?: string; filters?: FileFilter[] }, PickResult>;
  'system.pickSaveFile': RequestSpec<{ title?: string; defaultPath?: string; filters?: FileFilter[] }, PickResult>;
  /** The folder of the log file (to attach to a bug report); the desktop app also opens it. */
  'system.openLogFolder': RequestSpec<Record<string, never>, { path: string; opened: boolean }>;
}

export const systemRequestNames = {
  'system.capabilities': true,
  'system.runtime': true,
  'system.pickFolder': true,
  'system.pickFile': true,
  'system.pickSaveFile': true,
  'system.openLogFolder': true,
} as const satisfies NameSet<SystemRequests>;

/**
 * Commands the native menu sends to the renderer. Review commands double as the review screen's
 * keyboard shortcuts (see `reviewShortcuts`), so the menu and the screen cannot drift apart.
 */
export type MenuCommand =
  | 'review.confirm'
  | 'review.reject'
  | 'review.newIndividual'
  | 'review.skip'
  | 'review.undo'
  | 'review.nextCandidate'
  | 'review.previousCandidate'
  | 'review.zoomIn'
  | 'review.zoomOut'
  | 'import.folder'
  | 'export.open'
  | 'navigate.catalog'
  | 'navigate.import'
  | 'navigate.review'
  | 'navigate.training'
  | 'navigate.export'
  | 'navigate.settings';

export interface SystemEvents {
  /** A native menu item was chosen; `path` is set when the item opened a dialog first (import folder). */
  'menu.command': { command: MenuCommand; path?: string };
}

export interface ReviewShortcut {
  command: MenuCommand;
  label: string;
  /** Electron accelerator syntax; also what the review screen listens for (`KeyboardEvent.key`, case-insensitive). */
  key: string;
}

/**
 * Single-key review shortcuts, as reviewers expect from photo-ID tools. They are shown in the menu
 * but handled by the review screen itself, so typing a name in a text field is never hijacked.
 */
export const reviewShortcuts: readonly ReviewShortcut[] = [
  { command: 'review.confirm', label: 'Confirm Selected Candidate', key: 'Enter' },
  { command: 'review.reject', label: 'Reject Selected Candidate', key: 'X' },
  { command: 'review.newIndividual', label: 'New Individual', key: 'N' },
  { command: 'review.skip', label: 'Skip', key: 'S' },
  { command: 'review.undo', label: 'Undo Last Decision', key: 'CmdOrCtrl+Z' },
  { command: 'review.nextCandidate', label: 'Next Candidate', key: 'Down' },
  { command: 'review.previousCandidate', label: 'Previous Candidate', key: 'Up' },
  { command: 'review.zoomIn', label: 'Zoom In', key: '=' },
  { command: 'review.zoomOut', label: 'Zoom Out', key: '-' },
];

/** Where the backend runs and what it loaded: for the settings screen and for diagnosing installs. */
export interface RuntimeInfo {
  /** 'worker' in the desktop app (backend thread), 'main' in browser mode and the CLI. */
  thread: 'main' | 'worker';
  node: string;
  /** NODE_MODULE_VERSION: Electron's, not Node's, in the packaged app. */
  abi: string;
  electron: string | null;
  sqlite: string;
  sharp: string;
  onnxruntime: string;
  /** Execution providers this install can load, and the ones the `device` setting selects. */
  providers: { usable: string[]; chosen: string[] };
}
