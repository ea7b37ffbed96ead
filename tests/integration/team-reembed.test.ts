import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Catalog } from '../../electron/core/store/catalog';
import { syncTeam } from '../../electron/core/team/sync';
import { addTeamSite, initTeam, joinTeam } from '../../electron/core/team/join';
import { embedCatalog } from '../../electron/core/vision/embed';
import { simpleMatch } from '../../electron/core/match/simple-match';
import { teamCropFile } from '../../electron/core/media/team-crop-file';
import { insertIndividual, insertPhoto, texturedJpeg } from '../helpers/catalog-rows';
import { tinyConvManifest, tinyConvModel } from '../helpers/tiny-models';
import { runCaudal } from '../helpers/cli';
import { tmpDir } from '../helpers/tmp';
import { postgresBin, POSTGRES_SKIP_REASON, startCluster, type TestCluster } from '../helpers/postgres';

/**
 * Two laptops on different active models (two tiny ONNX backbones) and one real PostgreSQL
 * server: the team's model is boat-a's, so boat-b cannot use the vectors that travel and embeds
 * the pulled annotations from their 512-px crops in an embed job the sync queues.
 */
const bin = postgresBin();
if (!bin) console.warn(POSTGRES_SKIP_REASON);

const dir = tmpDir('caudal-team-embed-');
process.env.CAUDAL_HOME ??= path.join(dir, 'home');
const models = path.join(dir, 'models');
process.env.CAUDAL_MODELS_DIR = models;

describe.skipIf(!bin)('a laptop on another model than the team re-embeds pulled crops', () => {
  let cluster: TestCluster;
  let a: Catalog;
  let b: Catalog;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    fs.mkdirSync(models, { recursive: true });
    const bytes = tinyConvModel();
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    const manifestA = tinyConvManifest(sha, bytes.length);
    // boat-b's backbone: the same graph read another way (conv block only): another model, another dimension.
    const manifestB = { ...manifestA, id: 'tinyconv-b-test', name: 'Tiny conv B (test backbone)', features: [manifestA.features[0]] };
    fs.writeFileSync(path.join(models, manifestA.file), bytes);
    fs.writeFileSync(path.join(models, 'tinyconv.json'), JSON.stringify(manifestA));
    fs.writeFileSync(path.join(models, 'tinyconv-b.json'), JSON.stringify(manifestB));

    cluster = await startCluster(bin!);
    await cluster.createDatabase('team');
    await cluster.sql("CREATE ROLE boat_a LOGIN PASSWORD 'pw-a'; CREATE ROLE boat_b LOGIN PASSWORD 'pw-b'");
    const owner = { url: cluster.adminUrl('team') };
    await initTeam(owner);
    await addTeamSite(owner, 'boat-a', 'boat_a');
    await addTeamSite(owner, 'boat-b', 'boat_b');

    // boat-a: two animals, one photo each. boat-b: a new photo of the first (same pixels, other bytes).
    const x = await texturedJpeg(path.join(dir, 'x.jpg'), 11, 160, 120);
    const y = await texturedJpeg(path.join(dir, 'y.jpg'), 12, 160, 120);
    const again = path.join(dir, 'x-again.jpg');
    fs.writeFileSync(again, Buffer.concat([fs.readFileSync(x), Buffer.from([0])]));
    a = Catalog.open(path.join(dir, 'a.sqlite'));
    b = Catalog.open(path.join(dir, 'b.sqlite'));
    const box = { x: 20, y: 10, w: 100, h: 80 };
    ids.ax = (await insertPhoto(a, x, { individualId: insertIndividual(a, 'X'), box })).annotationId;
    ids.ay = (await insertPhoto(a, y, { individualId: insertIndividual(a, 'Y'), box })).annotationId;
    ids.query = (await insertPhoto(b, again, { box })).annotationId;
    expect(await embedCatalog(a, { backbone: 'tinyconv-test', views: 2 })).toMatchObject({ embedded: 2, model: 'tinyconv-test' });
    expect(await embedCatalog(b, { backbone: 'tinyconv-b-test', views: 2 })).toMatchObject({ embedded: 1, model: 'tinyconv-b-test' });
    await joinTeam(a, { url: cluster.url('boat_a', undefined, 'team'), password: 'pw-a' }, 'boat-a');
    await joinTeam(b, { url: cluster.url('boat_b', undefined, 'team'), password: 'pw-b' }, 'boat-b');
  });

  afterAll(async () => {
    a?.close();
    b?.close();
    await cluster?.stop();
  });

  it('boat-b pulls boat-a\'s annotations, the sync queues an embed job, and they are matched from their crops', async () => {
    const first = await syncTeam(a, { password: 'pw-a' });
    expect(first).toMatchObject({ toEmbed: 0, embedJob: null });

    const before = process.env.PGPASSWORD;
    process.env.PGPASSWORD = 'pw-b';
    const r = await runCaudal('team', 'sync', '--catalog', b.file, '--json').finally(() => {
      if (before === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = before;
    });
    expect(r.err).not.toMatch(/failed/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    // The team's vectors (tinyconv-test) travelled but are not of boat-b's model: two annotations to embed.
    expect(out).toMatchObject({ toEmbed: 2, embedJob: expect.any(Number), embedded: 2 });
    expect(b.db.prepare('SELECT kind, state FROM jobs WHERE id = ?').get(out.embedJob)).toEqual({ kind: 'embed', state: 'done' });

    const pulled = b.db.prepare("SELECT a.id, i.code FROM annotations a JOIN team_origin o ON o.kind = 'annotation' AND o.local_id = a.id JOIN individuals i ON i.id = a.individual_id ORDER BY i.code").all() as Array<{ id: number; code: string }>;
    expect(pulled.map((p) => p.code)).toEqual(['X', 'Y']);
    for (const p of pulled) {
      // The photo is not on this laptop: the vector came from the crop.
      expect(b.db.prepare('SELECT p.missing FROM photos p JOIN annotations a ON a.photo_id = p.id WHERE a.id = ?').pluck().get(p.id)).toBe(1);
      expect(fs.existsSync(teamCropFile(b, p.id))).toBe(true);
      expect(b.db.prepare("SELECT dim FROM embeddings WHERE annotation_id = ? AND model_id = 'tinyconv-b-test'").pluck().get(p.id)).toBe(16);
    }
    const match = simpleMatch(b, ids.query, 2);
    expect(match.modelId).toBe('tinyconv-b-test');
    expect(match.candidates.map((c) => c.code)).toEqual(['X', 'Y']);
    expect(match.candidates[0].evidence[0].annotationId).toBe(pulled[0].id);

    // A second sync finds nothing left to embed.
    expect(await syncTeam(b, { password: 'pw-b' })).toMatchObject({ toEmbed: 0, embedJob: null });
  });

  it('boat-a, on the team\'s model, is told of the pulled annotation whose vector did not travel', async () => {
    // boat-b has no tinyconv-test vector to send for its query annotation.
    const r = await syncTeam(a, { password: 'pw-a' });
    expect(r.toEmbed).toBe(1);
    const res = await embedCatalog(a, { views: 2 });
    expect(res).toMatchObject({ model: 'tinyconv-test', embedded: 1, failed: 0 });
  });
});
