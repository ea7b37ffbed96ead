// Team sync through a real PostgreSQL server (a throwaway cluster, as the tests make): the first
// sync of a synthetic catalog at several sizes (push from boat-a, pull into an empty boat-b), then
// an incremental sync of 1,000 decisions. Prints rows/s and payload bytes, and how both grow
// with the catalog. Sizes: CAUDAL_BENCH_TEAM_SIZES (default "1000,10000,100000"); crops (512-px
// JPEGs through sharp, the costly part) are made for catalogs up to CAUDAL_BENCH_TEAM_CROPS
// photos (default 10000); larger ones sync metadata, decisions and embeddings only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Catalog } from '../electron/core/store/catalog';
import { teamSyncStore } from '../electron/core/store/team-sync';
import { syncTeam, type TeamSyncResult } from '../electron/core/team/sync';
import { addTeamSite, initTeam } from '../electron/core/team/join';
import { postgresBin, startCluster } from '../tests/helpers/postgres';

const sizes = (process.env.CAUDAL_BENCH_TEAM_SIZES ?? '1000,10000,100000').split(',').map(Number);
const cropsUpTo = Number(process.env.CAUDAL_BENCH_TEAM_CROPS ?? 10000);
const DIM = 256;

function fill(c: Catalog, n: number, photo: string, withFile: boolean): void {
  c.db.prepare("INSERT INTO models (id, name, kind, manifest, active) VALUES ('bench', 'bench', 'pretrained', '{}', 1)").run();
  const ind = c.db.prepare('INSERT INTO individuals (code) VALUES (?)');
  const ph = c.db.prepare('INSERT INTO photos (sha256, path, original_name, width, height, taken_at, latitude, longitude, camera_make) VALUES (?, ?, ?, 640, 480, ?, ?, ?, ?)');
  const an = c.db.prepare("INSERT INTO annotations (photo_id, x, y, w, h, individual_id, identified_by) VALUES (?, 100, 80, 400, 300, ?, 'bench')");
  const emb = c.db.prepare("INSERT INTO embeddings (annotation_id, model_id, dim, vector) VALUES (?, 'bench', ?, ?)");
  const dec = c.db.prepare("INSERT INTO decisions (annotation_id, individual_id, decision, reviewer, created_at) VALUES (?, ?, 'confirm', 'bench', ?)");
  const v = Buffer.alloc(DIM * 4);
  c.db.transaction(() => {
    const individuals = Math.max(1, Math.floor(n / 20));
    for (let i = 0; i < individuals; i++) ind.run(`B-${i}`);
    for (let i = 0; i < n; i++) {
      const sha = (i.toString(16).padStart(8, '0') + 'ab').repeat(7).slice(0, 64);
      const p = Number(ph.run(sha, withFile ? photo : `/nowhere/${i}.jpg`, `${i}.jpg`, '2024-05-01T10:00:00', 60 + (i % 100) / 100, -20, 'Canon').lastInsertRowid);
      const who = 1 + (i % individuals);
      const a = Number(an.run(p, who).lastInsertRowid);
      v.writeFloatLE(i, 0);
      emb.run(a, DIM, v);
      dec.run(a, who, new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString());
    }
  })();
}

const mb = (b: number) => (b / 1e6).toFixed(1);
const secs = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t = process.hrtime.bigint();
  const r = await f();
  return [r, Number(process.hrtime.bigint() - t) / 1e9];
};

async function main() {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL 15+ binaries not found (apt-get install postgresql)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-bench-team-'));
  const photo = path.join(dir, 'photo.jpg');
  await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40, g: 90, b: 120 } } }).jpeg().toFile(photo);
  const cluster = await startCluster(bin);
  const rows: string[] = [];
  try {
    await cluster.sql("CREATE ROLE boat_a LOGIN PASSWORD 'a'; CREATE ROLE boat_b LOGIN PASSWORD 'b'");
    for (const n of sizes) {
      const db = `team_${n}`;
      await cluster.createDatabase(db);
      const admin = { url: cluster.adminUrl(db) };
      await initTeam(admin);
      await addTeamSite(admin, 'boat-a', 'boat_a');
      await addTeamSite(admin, 'boat-b', 'boat_b');
      const a = Catalog.open(path.join(dir, `a-${n}.sqlite`));
      const b = Catalog.open(path.join(dir, `b-${n}.sqlite`));
      b.db.prepare("INSERT INTO models (id, name, kind, manifest, active) VALUES ('bench', 'bench', 'pretrained', '{}', 1)").run();
      fill(a, n, photo, n <= cropsUpTo);
      teamSyncStore(a).join(cluster.url('boat_a', undefined, db), 'boat-a');
      teamSyncStore(b).join(cluster.url('boat_b', undefined, db), 'boat-b');
      const [push, tPush] = await secs(() => syncTeam(a, { password: 'a' }));
      const [pull, tPull] = await secs(() => syncTeam(b, { password: 'b' }));
      const line = (what: string, r: TeamSyncResult['pushed'], t: number) =>
        `${String(n).padStart(7)} photos ${what.padEnd(11)} ${String(r.rows).padStart(7)} rows ${t.toFixed(1).padStart(6)} s ${Math.round(r.rows / t).toString().padStart(6)} rows/s ${mb(r.bytes).padStart(7)} MB ${(r.bytes / n / 1000).toFixed(2)} KB/photo${n <= cropsUpTo ? '' : ' (no crops)'}`;
      rows.push(line('first push', push.pushed, tPush), line('first pull', pull.pulled, tPull));
      // Incremental: 1,000 new decisions on boat-a, pushed, then pulled by boat-b.
      const dec = a.db.prepare("INSERT INTO decisions (annotation_id, individual_id, decision, reviewer, created_at) VALUES (?, 1, 'confirm', 'later', ?)");
      a.db.transaction(() => {
        for (let i = 0; i < 1000; i++) dec.run(1 + (i % n), new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString());
      })();
      const [ipush, tIpush] = await secs(() => syncTeam(a, { password: 'a' }));
      const [ipull, tIpull] = await secs(() => syncTeam(b, { password: 'b' }));
      rows.push(line('+1k push', ipush.pushed, tIpush), line('+1k pull', ipull.pulled, tIpull));
      console.log(rows.slice(-4).join('\n'));
      a.close();
      b.close();
    }
  } finally {
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('\nsummary\n' + rows.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
