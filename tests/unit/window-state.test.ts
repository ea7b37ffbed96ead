import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { defaultWindowState, fitToDisplays, loadWindowState, saveWindowState, trackWindowState } from '../../electron/main/window-state';
import { tmpDir } from '../helpers/tmp';

const laptop = { x: 0, y: 0, width: 1440, height: 860 };
const monitorRight = { x: 1440, y: 0, width: 2560, height: 1400 };

describe('window state', () => {
  it('round-trips through a JSON file in userData', () => {
    const file = path.join(tmpDir(), 'sub', 'window-state.json');
    saveWindowState(file, { x: 40, y: 30, width: 1200, height: 800, maximized: true });
    expect(loadWindowState(file, [laptop])).toEqual({ x: 40, y: 30, width: 1200, height: 800, maximized: true });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['window-state.json']); // no temp files left
  });

  it('falls back to defaults for a missing, corrupt or nonsensical file', () => {
    const dir = tmpDir();
    expect(loadWindowState(path.join(dir, 'none.json'), [monitorRight])).toEqual(defaultWindowState);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"width": 12');
    expect(loadWindowState(path.join(dir, 'bad.json'), [monitorRight])).toEqual(defaultWindowState);
    fs.writeFileSync(path.join(dir, 'odd.json'), JSON.stringify({ x: 'left', y: null, width: -5, height: 'tall', maximized: 'yes' }));
    expect(loadWindowState(path.join(dir, 'odd.json'), [monitorRight])).toEqual({ width: 900, height: 860, maximized: false });
  });

  it('keeps a window on a second monitor that is still there', () => {
    const s = { x: 1600, y: 100, width: 1800, height: 1100, maximized: false };
    expect(fitToDisplays(s, [laptop, monitorRight])).toEqual(s);
  });

  it('re-centres a window whose monitor was unplugged, at a size the remaining screen holds', () => {
    const s = { x: 1600, y: 100, width: 1800, height: 1100, maximized: false };
    expect(fitToDisplays(s, [laptop])).toEqual({ width: 1440, height: 860, maximized: false });
  });

  it('re-centres a window whose title bar is off-screen (above or left of every screen)', () => {
    expect(fitToDisplays({ x: 100, y: -600, width: 1000, height: 700, maximized: false }, [laptop])).toEqual({ width: 1000, height: 700, maximized: false });
    expect(fitToDisplays({ x: -990, y: 10, width: 1000, height: 700, maximized: false }, [laptop])).toEqual({ width: 1000, height: 700, maximized: false });
  });

  it('keeps a window partly off the edge when its title bar can still be grabbed', () => {
    expect(fitToDisplays({ x: 1000, y: 200, width: 1000, height: 700, maximized: false }, [laptop])).toEqual({ x: 1000, y: 200, width: 1000, height: 700, maximized: false });
  });

  it('saves after moves (debounced) and at once on close', async () => {
    const file = path.join(tmpDir(), 'window-state.json');
    const win = Object.assign(new EventEmitter(), {
      bounds: { x: 10, y: 20, width: 1000, height: 700 },
      max: false,
      getNormalBounds() {
        return this.bounds;
      },
      isMaximized() {
        return this.max;
      },
      isDestroyed: () => false,
    });
    trackWindowState(win, file, 30);
    win.emit('move');
    win.bounds = { x: 50, y: 60, width: 1000, height: 700 };
    win.emit('move');
    expect(fs.existsSync(file)).toBe(false);
    await new Promise((r) => setTimeout(r, 80));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ x: 50, y: 60, width: 1000, height: 700, maximized: false });
    win.max = true;
    win.emit('close');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ maximized: true });
  });
});

describe('menu on macOS', () => {
  it('shows the review keys in the labels without grabbing them', async () => {
    const { menuTemplate } = await import('../../electron/main/menu');
    const { reviewShortcuts } = await import('../../electron/contract');
    const sent: unknown[] = [];
    const t = menuTemplate({ platform: 'darwin', devTools: false, send: (p) => sent.push(p), pickFolder: async () => null });
    expect(t[0].label).toBe('Caudal');
    const review = t.find((m) => m.label === 'Review')!.submenu as Array<{ label: string; accelerator?: string; click: () => void }>;
    reviewShortcuts.forEach((s, i) => {
      expect(review[i].label).toBe(`${s.label}\t${s.key}`);
      expect(review[i].accelerator).toBeUndefined();
      review[i].click();
    });
    expect(sent).toEqual(reviewShortcuts.map((s) => ({ command: s.command })));
    const view = t.find((m) => m.label === 'View')!.submenu as Array<{ role?: string }>;
    expect(view.some((i) => i.role === 'toggleDevTools')).toBe(false);
  });
});
