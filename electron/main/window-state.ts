import fs from 'node:fs';
import { writeFileAtomicallySync } from '../core/util/atomic-write';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const defaultWindowState: WindowState = { width: 1360, height: 860, maximized: false };
export const minWindowSize = { width: 900, height: 600 };

/** At least this much of the title bar must be on a screen, or the window is re-centred. */
const MIN_VISIBLE = { width: 120, height: 48 };

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Makes a saved state safe for today's screens: a monitor may have been unplugged or rearranged,
 * leaving the window off-screen, or a smaller screen may not hold it. `workAreas[0]` is the primary.
 */
export function fitToDisplays(state: WindowState, workAreas: Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: defaultWindowState.width, height: defaultWindowState.height };
  let { width, height } = state;
  const out: WindowState = { width, height, maximized: state.maximized };
  if (finite(state.x) && finite(state.y)) {
    // The title bar strip is what a person needs to drag the window back.
    const titleBar: Rect = { x: state.x, y: state.y, width, height: Math.min(height, MIN_VISIBLE.height) };
    const home = workAreas.find((a) => {
      const o = overlap(titleBar, a);
      return o.width >= Math.min(MIN_VISIBLE.width, width) && o.height >= Math.min(MIN_VISIBLE.height, height);
    });
    if (home) {
      width = Math.min(width, home.width);
      height = Math.min(height, home.height);
      return { ...out, x: Math.max(state.x, home.x), y: Math.max(state.y, home.y), width, height };
    }
  }
  // No usable position: let the window be centred on the primary screen, at a size that fits it.
  return { ...out, width: Math.min(width, primary.width), height: Math.min(height, primary.height) };
}

/** Reads the saved state; a missing, corrupt or nonsensical file gives the defaults. */
export function loadWindowState(file: string, workAreas: Rect[]): WindowState {
  let saved: Partial<WindowState> = {};
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // first run or a damaged file: defaults
  }
  const state: WindowState = {
    width: finite(saved.width) ? Math.max(minWindowSize.width, Math.round(saved.width)) : defaultWindowState.width,
    height: finite(saved.height) ? Math.max(minWindowSize.height, Math.round(saved.height)) : defaultWindowState.height,
    maximized: saved.maximized === true,
  };
  if (finite(saved.x) && finite(saved.y)) Object.assign(state, { x: Math.round(saved.x), y: Math.round(saved.y) });
  return fitToDisplays(state, workAreas);
}

/** Written atomically so a crash mid-write leaves the previous state, not half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  writeFileAtomicallySync(file, JSON.stringify(state, null, 2));
}

/** The bits of a BrowserWindow the tracker reads. */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isDestroyed(): boolean;
}

/**
 * Saves the window's normal (un-maximised) bounds shortly after it is moved or resized, and at
 * once when it closes. Returns `flush` for the quit sequence.
 */
export function trackWindowState(win: TrackedWindow, file: string, delayMs = 500): { flush(): void } {
  let timer: NodeJS.Timeout | undefined;
  let last: WindowState | undefined;
  const capture = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    last = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    capture();
    if (last) saveWindowState(file, last);
  };
  const later = () => {
    capture();
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
    timer.unref?.();
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', flush);
  return { flush };
}
