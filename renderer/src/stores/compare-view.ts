import { create } from 'zustand';

interface CompareViewState {
  /** Shared by the query and the candidate viewer, so both show the same part of the fluke. */
  zoom: number;
  panX: number;
  panY: number;
  /** Applied to the candidate, to line it up with the query. */
  flip: boolean;
  rotate: number;
  /** Applied to both (dark or back-lit photos). */
  brightness: number;
  contrast: number;
  /** Original files instead of the 1600 px previews. */
  full: boolean;
  zoomBy(factor: number, aroundX?: number, aroundY?: number): void;
  panBy(dx: number, dy: number): void;
  toggleFlip(): void;
  rotateBy(deg: number): void;
  setBrightness(v: number): void;
  setContrast(v: number): void;
  toggleFull(): void;
  reset(): void;
}

const initial = { zoom: 1, panX: 0, panY: 0, flip: false, rotate: 0, brightness: 1, contrast: 1, full: false };
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export const useCompareView = create<CompareViewState>((set) => ({
  ...initial,
  zoomBy: (factor, ax = 0, ay = 0) =>
    set((s) => {
      const zoom = clamp(s.zoom * factor, 0.25, 16);
      const k = zoom / s.zoom;
      // Keep the point under the cursor (ax, ay from the viewer's centre) where it is.
      return { zoom, panX: ax - (ax - s.panX) * k, panY: ay - (ay - s.panY) * k };
    }),
  panBy: (dx, dy) => set((s) => ({ panX: s.panX + dx, panY: s.panY + dy })),
  toggleFlip: () => set((s) => ({ flip: !s.flip })),
  rotateBy: (deg) => set((s) => ({ rotate: (s.rotate + deg + 360) % 360 })),
  setBrightness: (v) => set({ brightness: clamp(v, 0.2, 3) }),
  setContrast: (v) => set({ contrast: clamp(v, 0.2, 3) }),
  toggleFull: () => set((s) => ({ full: !s.full })),
  reset: () => set({ zoom: 1, panX: 0, panY: 0, flip: false, rotate: 0, brightness: 1, contrast: 1 }),
}));
