/**
 * Research helper (issue 8): adds augmented views FROM..TO-1 to a COPY of an embedded catalog, so
 * training can be measured with more views per photo without re-extracting the stored ones.
 * STRONG=1 uses wider crops (scale 0.6-1) and colour (brightness 0.7-1.3, saturation 0.5-1.5).
 * Run: CAUDAL_SHARED_DIR=/work/shared CAT=<copy> FROM=4 TO=12 npx tsx bench/extra-views.ts
 */
import { Catalog } from '../electron/core/store/catalog';
import { photoFile } from '../electron/core/media/media';
import { getExtractor } from '../electron/core/vision/extractor-cache';
import { manifestOf, backboneOf } from '../electron/core/vision/models-table';
import { runPipeline, type PipelineItem } from '../electron/core/vision/pipeline';
import type { ViewSpec } from '../electron/core/vision/preprocess';
import { viewSpec } from '../electron/core/vision/views';
import { toBlob } from '../electron/core/vision/feature-store';

const FROM = Number(process.env.FROM ?? 4), TO = Number(process.env.TO ?? 12);
function strong(view: number, id: number): ViewSpec {
  let s = (id * 7919 + view * 104729 + 17) >>> 0 || 1;
  const r = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 4294967296; };
  const scale = 0.6 + 0.4 * r(), aspect = 0.85 + 0.3 * r();
  const width = Math.min(1, scale * Math.sqrt(aspect)), height = Math.min(1, scale / Math.sqrt(aspect));
  return { window: { left: (1 - width) * r(), top: (1 - height) * r(), width, height }, colour: { brightness: 0.7 + 0.6 * r(), saturation: 0.5 + 1.0 * r() }, mirror: false };
}
async function main() {
  const c = Catalog.open(process.env.CAT!);
  const model = c.store.models.active()!;
  const bb = backboneOf(c, model);
  const ex = await getExtractor(manifestOf(c, bb));
  const rows = c.db.prepare('SELECT a.id, a.x, a.y, a.w, a.h, p.path, p.copied FROM annotations a JOIN photos p ON p.id = a.photo_id ORDER BY a.id').all() as Array<{ id: number; x: number; y: number; w: number; h: number; path: string; copied: number }>;
  const items: PipelineItem[] = rows.map((r) => ({ key: r.id, source: photoFile(c, r), box: { x: r.x, y: r.y, w: r.w, h: r.h }, views: Array.from({ length: TO - FROM }, (_, k) => (process.env.STRONG ? strong(FROM + k, r.id) : viewSpec(FROM + k, r.id))) }));
  const ins = c.db.prepare('INSERT OR REPLACE INTO features(annotation_id, backbone_id, view, dim, vector) VALUES (?, ?, ?, ?, ?)');
  const t0 = performance.now();
  let done = 0;
  await runPipeline(ex, items, ({ features }) => {
    c.db.transaction(() => { for (const [id, vs] of features) vs.forEach((v, k) => ins.run(id, bb, FROM + k, v.length, toBlob(v))); })();
    done += features.size;
    if (done % 200 < features.size) console.error(`${done}/${items.length} ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  });
  console.error(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  c.close();
}
void main();
