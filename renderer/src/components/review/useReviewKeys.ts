import { useEffect, useRef } from 'react';
import { useCompareView } from '../../stores/compare-view';
import { useMenuCommand } from '../../stores/menu';
import { useReviewSession } from '../../stores/review-session';
import { indexOfKey, type Entry } from './entries';
import type { useReviewFlow } from './useReviewFlow';

type Flow = ReturnType<typeof useReviewFlow>;

/** Keyboard-first review: every decision and every view change has a key (see ShortcutHelp). */
export function useReviewKeys(flow: Flow): void {
  const ref = useRef(flow);
  ref.current = flow;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      const f = ref.current;
      const s = useReviewSession.getState();
      const c = useCompareView.getState();
      const sel: Entry | undefined = f.selected == null ? undefined : f.entries[f.selected];
      const key = e.key;
      if (s.helpOpen && (key === 'Escape' || key === '?')) return done(e, () => s.setHelp(false));
      if ((e.ctrlKey || e.metaKey) && key.toLowerCase() === 'z') return done(e, () => void f.actions.undo());
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      // A number is a candidate's rank (0 = the 10th), whatever place "new individual" takes.
      if (/^[0-9]$/.test(key)) {
        const i = indexOfKey(f.entries, key);
        if (i >= 0) return done(e, () => s.select(i));
        return;
      }
      switch (key) {
        case 'Enter':
          return done(e, () => void f.actions.confirm(sel));
        case 'x':
        case 'X':
          return done(e, () => void f.actions.reject(sel));
        case 'n':
        case 'N':
          return done(e, () => void f.actions.newIndividual());
        case 's':
        case 'S':
          return done(e, () => void f.actions.skip());
        case 'ArrowDown':
          return done(e, () => f.entries.length && s.select(Math.min(f.entries.length - 1, (f.selected ?? -1) + 1)));
        case 'ArrowUp':
          return done(e, () => f.entries.length && s.select(Math.max(0, (f.selected ?? 1) - 1)));
        case 'ArrowRight':
          return done(e, () => f.actions.move(1));
        case 'ArrowLeft':
          return done(e, () => f.actions.move(-1));
        case '.':
        case ',': {
          if (sel?.kind !== 'candidate') return;
          const n = 1 + sel.candidate.others.length;
          return done(e, () => s.setPhoto((s.photo + (key === '.' ? 1 : n - 1)) % n));
        }
        case '?':
          return done(e, () => s.setHelp(!s.helpOpen));
        case '+':
        case '=':
          return done(e, () => c.zoomBy(1.25));
        case '-':
        case '_':
          return done(e, () => c.zoomBy(0.8));
        case 'z':
        case 'Z':
          return done(e, () => c.reset());
        case 'h':
        case 'H':
          return done(e, () => c.toggleFlip());
        case 'r':
        case 'R':
          return done(e, () => c.rotateBy(90));
        case 'f':
        case 'F':
          return done(e, () => c.toggleFull());
        case '[':
          return done(e, () => c.setBrightness(c.brightness - 0.1));
        case ']':
          return done(e, () => c.setBrightness(c.brightness + 0.1));
        case '{':
          return done(e, () => c.setContrast(c.contrast - 0.1));
        case '}':
          return done(e, () => c.setContrast(c.contrast + 0.1));
        case 'Escape':
          return done(e, () => s.setHelp(false));
      }
    };
    window.addEventListener('keydown', onKey);
    // The desktop menu's Review items (chosen with the mouse) do what their keys do.
    const offMenu = useMenuCommand.subscribe((m, prev) => {
      if (!m.last || m.last === prev.last) return;
      const f = ref.current;
      const s = useReviewSession.getState();
      const c = useCompareView.getState();
      const sel: Entry | undefined = f.selected == null ? undefined : f.entries[f.selected];
      switch (m.last.command) {
        case 'review.confirm':
          return void f.actions.confirm(sel);
        case 'review.reject':
          return void f.actions.reject(sel);
        case 'review.newIndividual':
          return void f.actions.newIndividual();
        case 'review.skip':
          return void f.actions.skip();
        case 'review.undo':
          return void f.actions.undo();
        case 'review.nextCandidate':
          return f.entries.length ? s.select(Math.min(f.entries.length - 1, (f.selected ?? -1) + 1)) : undefined;
        case 'review.previousCandidate':
          return f.entries.length ? s.select(Math.max(0, (f.selected ?? 1) - 1)) : undefined;
        case 'review.zoomIn':
          return c.zoomBy(1.25);
        case 'review.zoomOut':
          return c.zoomBy(0.8);
      }
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      offMenu();
    };
  }, []);
}

function done(e: KeyboardEvent, act: () => void): void {
  e.preventDefault();
  act();
}
