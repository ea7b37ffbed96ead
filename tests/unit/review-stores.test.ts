import { defaultSelection, entriesOf, indexOfKey, keyOf } from '../../renderer/src/components/review/entries';
import { useCompareView } from '../../renderer/src/stores/compare-view';
import type { ReviewItem } from '../../electron/contract';

describe('compare view store', () => {
  beforeEach(() => useCompareView.getState().reset());

  it('zooms around the cursor: the point under it stays put', () => {
    const c = useCompareView.getState();
    c.panBy(10, -4);
    // A point 100 px right of the centre shows image content at (100 - panX) / zoom.
    const before = (100 - useCompareView.getState().panX) / useCompareView.getState().zoom;
    useCompareView.getState().zoomBy(2, 100, 0);
    const s = useCompareView.getState();
    expect(s.zoom).toBe(2);
    expect((100 - s.panX) / s.zoom).toBeCloseTo(before);
  });

  it('keeps zoom, brightness and contrast in range and rotation in 0..359', () => {
    const c = useCompareView.getState();
    for (let i = 0; i < 40; i++) c.zoomBy(2);
    expect(useCompareView.getState().zoom).toBe(16);
    c.setBrightness(9);
    c.setContrast(-1);
    c.rotateBy(-90);
    expect(useCompareView.getState()).toMatchObject({ brightness: 3, contrast: 0.2, rotate: 270 });
  });
});

describe('candidate entries', () => {
  const view = { annotationId: 1, photoId: 1, width: 10, height: 10, box: { x: 0, y: 0, w: 1, h: 1 }, bodyPart: 'fluke', side: null, takenAt: null, encounterId: null, encounterCode: null, originalName: 'a' };
  const cand = (rank: number) => ({ rank, individualId: rank * 10, code: `C${rank}`, name: null, score: 1 - rank / 10, best: view, others: [], photoCount: 1 });
  const item = (newRank: number, n: number): ReviewItem => ({
    query: view,
    individualId: null,
    match: { annotationId: 1, modelId: 'm', newIndividual: { probability: 0.4, rank: newRank } },
    candidates: Array.from({ length: n }, (_, i) => cand(n - i)),
    matchError: null,
    encounterMates: 0,
    encounter: false,
  });

  it('puts "new individual" at its ranked place among candidates sorted by rank', () => {
    expect(entriesOf(item(2, 3)).map((e) => (e.kind === 'new' ? 'new' : e.candidate.code))).toEqual(['C1', 'new', 'C2', 'C3']);
    expect(entriesOf(item(4, 3)).map((e) => (e.kind === 'new' ? 'new' : e.candidate.code))).toEqual(['C1', 'C2', 'C3', 'new']);
    expect(entriesOf({ ...item(1, 0), match: null, matchError: 'no active model' }).map((e) => e.kind)).toEqual(['new']);
  });

  it('keys are ranks: 1-9 and 0 for the 10th candidate, N for a new individual wherever it ranks', () => {
    const e = entriesOf(item(1, 10));
    expect(e.map(keyOf)).toEqual(['N', '1', '2', '3', '4', '5', '6', '7', '8', '9', '0']);
    expect(indexOfKey(e, '3')).toBe(3);
    expect(e[indexOfKey(e, '0')]).toMatchObject({ kind: 'candidate', candidate: { rank: 10 } });
    expect(indexOfKey(entriesOf(item(4, 3)), '0')).toBe(-1);
  });

  it('selects the best candidate by default, never "new individual", even when "new" ranks first', () => {
    expect(defaultSelection(entriesOf(item(1, 3)))).toBe(1);
    expect(defaultSelection(entriesOf(item(3, 3)))).toBe(0);
    expect(defaultSelection(entriesOf(item(1, 0)))).toBeNull();
  });
});
