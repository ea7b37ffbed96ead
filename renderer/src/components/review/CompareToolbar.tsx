import { useCompareView } from '../../stores/compare-view';

export function CompareToolbar() {
  const c = useCompareView();
  return (
    <div className="compare-toolbar" role="toolbar" aria-label="Compare">
      <button className="tool" onClick={() => c.zoomBy(1.25)} title="Zoom in (+)">+</button>
      <span className="tool-val">{Math.round(c.zoom * 100)}%</span>
      <button className="tool" onClick={() => c.zoomBy(0.8)} title="Zoom out (−)">−</button>
      <button className={`tool${c.flip ? ' on' : ''}`} onClick={c.toggleFlip} title="Flip the candidate horizontally (H)">⇋ Flip</button>
      <button className="tool" onClick={() => c.rotateBy(90)} title="Rotate the candidate 90° (R)">⟳ {c.rotate}°</button>
      <label className="tool-range" title="Brightness ([ and ])">
        ☀
        <input type="range" min={0.2} max={3} step={0.05} value={c.brightness} onChange={(e) => c.setBrightness(Number(e.target.value))} aria-label="Brightness" />
      </label>
      <label className="tool-range" title="Contrast ({ and })">
        ◐
        <input type="range" min={0.2} max={3} step={0.05} value={c.contrast} onChange={(e) => c.setContrast(Number(e.target.value))} aria-label="Contrast" />
      </label>
      <button className={`tool${c.full ? ' on' : ''}`} onClick={c.toggleFull} title="Full resolution (F)" data-testid="toggle-full">
        Full res
      </button>
      <button className="tool" onClick={c.reset} title="Reset view (0)">Reset</button>
    </div>
  );
}
