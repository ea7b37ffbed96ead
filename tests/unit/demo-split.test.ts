import fs from 'node:fs';
import path from 'node:path';
import { readDemoDataset, imageFolders } from '../../electron/core/demo/dataset';
import { metricsCountingMisses } from '../../electron/core/demo/metrics';
import { splitForDemo, type DemoPhoto, type DemoRole } from '../../electron/core/demo/split';
import { subContext } from '../../electron/core/demo/sub-job';
import type { JobContext } from '../../electron/core/jobs/runner';
import { planSynth } from '../../electron/core/synth/plan';
import { individualCode } from '../../electron/core/synth/individual';
import { tmpDir } from '../helpers/tmp';

const fromPlan = (individuals: number, photos: number, seed: number): DemoPhoto[] =>
  planSynth({ individuals, photos, seed }).photos.map((p) => ({ image: p.file, individual: individualCode(p.individual), side: 'ventral', sighting: p.sighting, order: p.index }));

describe('demo split: catalog, then reviewed, then held-out sightings', () => {
  const photos = fromPlan(40, 400, 4);
  const split = splitForDemo(photos, 4);

  it('gives every photo one role, a whole sighting the same one', () => {
    expect(split.roles.size).toBe(400);
    expect(split.counts.catalog + split.counts.review + split.counts.holdout).toBe(400);
    for (const role of ['catalog', 'review', 'holdout'] as const) expect(split.counts[role]).toBeGreaterThan(40);
    const bySighting = new Map<string, Set<DemoRole>>();
    for (const p of photos) bySighting.set(p.sighting, (bySighting.get(p.sighting) ?? new Set()).add(split.roles.get(p.image)!));
    for (const roles of bySighting.values()) expect(roles.size).toBe(1);
  });

  it('orders roles in time per individual; newcomers have no catalog photo', () => {
    const rank: Record<DemoRole, number> = { catalog: 0, review: 1, holdout: 2 };
    const byInd = new Map<string, DemoPhoto[]>();
    for (const p of photos) byInd.set(p.individual, [...(byInd.get(p.individual) ?? []), p]);
    expect(split.newcomers.length).toBeGreaterThan(0);
    for (const [ind, list] of byInd) {
      const roles = list.sort((a, b) => a.order - b.order).map((p) => rank[split.roles.get(p.image)!]);
      expect([...roles].sort((a, b) => a - b), ind).toEqual(roles);
      if (split.newcomers.includes(ind)) expect(roles).not.toContain(0);
      else expect(roles[0], ind).toBe(0);
    }
  });

  it('is the same for the same seed', () => {
    const again = splitForDemo(photos, 4);
    expect([...again.roles]).toEqual([...split.roles]);
  });
});

describe('demo dataset and metrics', () => {
  it('reads labels.csv, skips unknown animals, and names the file on bad input', () => {
    const dir = tmpDir('caudal-demo-ds-');
    expect(() => readDemoDataset(dir)).toThrow(/has no labels\.csv/);
    fs.writeFileSync(path.join(dir, 'labels.csv'), 'file,who\na.jpg,X\n');
    expect(() => readDemoDataset(dir)).toThrow(/labels\.csv: line 1 must name the columns/);
    fs.writeFileSync(path.join(dir, 'labels.csv'), 'image,individual,side,sighting\nimg/a.jpg,A,Left,s1\nimg/b.jpg,A,left,s2\nimg/c.jpg,new_whale,,\nimg/d.jpg,B,,\ne.jpg,B,,s9\n');
    const rows = readDemoDataset(dir);
    expect(rows.map((r) => r.image)).toEqual(['img/a.jpg', 'img/b.jpg', 'img/d.jpg', 'e.jpg']);
    expect(rows[0]).toMatchObject({ individual: 'A', side: 'left', sighting: 's1' });
    expect(rows[2].sighting).toBe('photo:img/d.jpg');
    expect(imageFolders(dir, rows)).toEqual([dir, path.join(dir, 'img')].sort());
  });

  it('computes rank-1, MAP@5 and top-5 like the evaluation protocol', () => {
    expect(metricsCountingMisses('m', [1, 2, 5, 6, null])).toEqual({ model: 'm', queries: 5, rank1: 0.2, map5: Math.round(((1 + 0.5 + 0.2) / 5) * 1000) / 1000, top5: 0.6 });
    expect(metricsCountingMisses('m', [])).toMatchObject({ queries: 0, rank1: 0 });
  });

  it("maps a step's progress into the demo's share of the bar", () => {
    const seen: Array<[number, number | null | undefined, string | undefined]> = [];
    const parent: JobContext = {
      jobId: 1,
      params: {},
      signal: new AbortController().signal,
      previousCheckpoint: undefined,
      progress: (d, t, m) => seen.push([d, t, m]),
      checkpoint: () => {},
      throwIfCancelled: () => {},
    };
    const sub = subContext(parent, { x: 1 }, 200, 400, 'embedding');
    sub.progress(5, 10, 'batch 1');
    sub.progress(10, 10);
    expect(seen).toEqual([
      [300, 1000, 'embedding: batch 1'],
      [400, 1000, 'embedding'],
    ]);
    expect(sub.params).toEqual({ x: 1 });
  });
});
