import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../electron/cli/main';
import { Catalog } from '../../electron/core/store/catalog';
import { DEMO_REVIEWER } from '../../electron/core/demo/demo-job';
import type { DemoResult } from '../../electron/contract';
import { sharedPath } from '../helpers/shared';
import { tmpDir } from '../helpers/tmp';

/**
 * `caudal demo` end to end at small scale, with the real backbone: generated flukes imported
 * with their earlier sightings identified, embedded, matched, reviewed from the labels through
 * the review backend, fine-tuned, and scored again; the decision log and the catalog hold it all.
 */
describe('caudal demo', () => {
  beforeAll(() => {
    sharedPath('models', 'mobilenetv2-12-int8.onnx');
  });

  it('runs the whole loop and reports before/after metrics', async () => {
    const file = path.join(tmpDir('caudal-demo-'), 'demo.sqlite');
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['demo', '--catalog', file, '--individuals', '16', '--photos', '160', '--seed', '2', '--json'], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    expect(code, err.join('\n')).toBe(0);
    const r = JSON.parse(out.join('')) as DemoResult;
    expect(r.catalog).toBe(file);
    expect(r.synthetic).toBe(true);
    expect(r.photos).toBe(160);
    expect(r.split.catalog + r.split.review + r.split.holdout).toBe(160);
    expect(r.review.decisions).toBe(r.split.review);
    expect(r.review.created).toBe(r.split.newcomers);
    expect(r.before.queries).toBeGreaterThan(10);
    expect(r.after.queries).toBe(r.before.queries);
    expect(r.before.model).not.toBe(r.after.model);
    // The fixed seed makes this deterministic: fine-tuning on the confirmed identities must help.
    expect(r.after.map5).toBeGreaterThan(r.before.map5);
    expect(r.improved).toBe(true);
    expect(r.model.activated).toBe(true);
    for (const k of ['generate', 'import', 'embed', 'review', 'train']) expect(r.timings[k], k).toBeGreaterThan(0);
    expect(r.open).toContain(file);

    const c = Catalog.open(file, { readonly: true });
    try {
      const db = c.db;
      const byKind = Object.fromEntries(
        (db.prepare('SELECT decision, COUNT(*) AS n FROM decisions WHERE reviewer = ? GROUP BY decision').all(DEMO_REVIEWER) as Array<{ decision: string; n: number }>).map((d) => [d.decision, d.n]),
      );
      expect(byKind.confirm).toBe(r.review.confirmed);
      expect(byKind.new ?? 0).toBe(r.review.created);
      // The reviewer setting is left as it was.
      expect(c.store.settings.get('reviewer', '')).toBe('');
      expect(db.prepare('SELECT COUNT(*) FROM annotations WHERE individual_id IS NULL').pluck().get()).toBe(r.split.holdout);
      expect(db.prepare("SELECT id FROM models WHERE active = 1 AND kind = 'fine-tuned'").pluck().get()).toBe(r.after.model);
    } finally {
      c.close();
    }
    expect(fs.existsSync(path.join(r.dataset, 'labels.csv'))).toBe(true);
  });

  it('refuses a catalog that already holds photos, leaving it unchanged', async () => {
    const file = path.join(tmpDir('caudal-demo-'), 'busy.sqlite');
    const c = Catalog.open(file);
    c.db.prepare("INSERT INTO photos(sha256, path, original_name, width, height) VALUES ('x', '/x.jpg', 'x.jpg', 10, 10)").run();
    c.close();
    const err: string[] = [];
    const code = await runCli(['demo', '--catalog', file], { out: () => {}, err: (t) => err.push(t) });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/empty catalog.*1 photos/);
    const again = Catalog.open(file, { readonly: true });
    expect(again.db.prepare('SELECT COUNT(*) FROM photos').pluck().get()).toBe(1);
    again.close();
  });
});
