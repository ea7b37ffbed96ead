import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { Catalog } from '../../electron/core/store/catalog';
import { teamSyncStore } from '../../electron/core/store/team-sync';
import { syncTeam } from '../../electron/core/team/sync';
import { teamCropFile } from '../../electron/core/media/team-crop-file';
import { teamStatus } from '../../electron/core/team/join';
import { listConflicts } from '../../electron/core/bundle/conflicts';
import { logDecision } from '../../electron/core/review/decision-log';
import { UserError } from '../../electron/core/util/errors';
import { insertIndividual, insertPhoto, texturedJpeg } from '../helpers/catalog-rows';
import { addEmbedding } from '../helpers/synthetic-catalog';
import { runCaudal } from '../helpers/cli';
import { tmpDir } from '../helpers/tmp';
import { postgresBin, POSTGRES_SKIP_REASON, startCluster, type TestCluster } from '../helpers/postgres';

/**
 * Two real SQLite catalogs (boat-a, boat-b) and one real PostgreSQL server (a throwaway cluster
 * for this file). The tests run in order and share the server: each builds on what the last synced.
 */
const bin = postgresBin();
if (!bin) console.warn(POSTGRES_SKIP_REASON);

describe.skipIf(!bin)('team catalog on a real PostgreSQL server', () => {
  let cluster: TestCluster;
  let dir: string;
  let a: Catalog;
  let b: Catalog;
  let urlA: string;
  let urlB: string;
  const shared: Record<string, number> = {};

  /** Runs the CLI with a password in PGPASSWORD, as a person would (never in the URL). */
  async function cli(password: string, ...argv: string[]) {
    const before = process.env.PGPASSWORD;
    process.env.PGPASSWORD = password;
    try {
      return await runCaudal(...argv);
    } finally {
      if (before === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = before;
    }
  }
  const count = async (sql: string, params: unknown[] = []) => Number((await cluster.sql<{ n: string }>(sql, params, 'team'))[0].n);
  const local = (c: Catalog, sql: string, ...p: unknown[]) => c.db.prepare(sql).pluck().get(...p) as number;
  const sync = (c: Catalog, password: string, extra: Parameters<typeof syncTeam>[1] = {}) => syncTeam(c, { password, ...extra });

  beforeAll(async () => {
    cluster = await startCluster(bin!);
    await cluster.createDatabase('team');
    await cluster.sql("CREATE ROLE boat_a LOGIN PASSWORD 'pw-a'; CREATE ROLE boat_b LOGIN PASSWORD 'pw-b'; CREATE ROLE lab_curator LOGIN PASSWORD 'pw-c'");
    urlA = `postgres://boat_a@127.0.0.1:${cluster.port}/team`;
    urlB = `postgres://boat_b@127.0.0.1:${cluster.port}/team`;
    dir = tmpDir('caudal-team-');
    // One photo file both boats took (the same bytes), and one each.
    const sharedJpg = await texturedJpeg(path.join(dir, 'shared.jpg'), 1, 900, 600);
    const onlyA = await texturedJpeg(path.join(dir, 'a.jpg'), 2);
    const onlyB = await texturedJpeg(path.join(dir, 'b.jpg'), 3);
    a = Catalog.open(path.join(dir, 'a.sqlite'));
    b = Catalog.open(path.join(dir, 'b.sqlite'));
    for (const c of [a, b]) c.db.prepare("INSERT INTO models (id, name, kind, manifest, active) VALUES ('tiny', 'tiny', 'pretrained', '{}', 1)").run();
    // Both boats created "ID-0001" on their own: two animals until a person says otherwise.
    const a1 = insertIndividual(a, 'ID-0001');
    const b1 = insertIndividual(b, 'ID-0001');
    const aOnly = await insertPhoto(a, onlyA, { individualId: a1 });
    const aShared = await insertPhoto(a, sharedJpg, { individualId: a1, box: { x: 100, y: 50, w: 600, h: 400 } });
    const bOnly = await insertPhoto(b, onlyB, { individualId: b1 });
    const bShared = await insertPhoto(b, sharedJpg, { individualId: b1, box: { x: 110, y: 60, w: 590, h: 390 } });
    addEmbedding(a, aOnly.annotationId, [1, 0, 0, 0], 'tiny');
    addEmbedding(a, aShared.annotationId, [0, 1, 0, 0], 'tiny');
    logDecision(a, { annotationId: aShared.annotationId, individualId: a1, decision: 'confirm', details: {} });
    logDecision(b, { annotationId: bShared.annotationId, individualId: b1, decision: 'confirm', details: {} });
    Object.assign(shared, { a1, b1, aOnly: aOnly.annotationId, aShared: aShared.annotationId, bShared: bShared.annotationId });
  });

  afterAll(async () => {
    a?.close();
    b?.close();
    await cluster?.stop();
  });

  it('init creates the versioned team schema once; sites and a curator are registered by the owner', async () => {
    const admin = cluster.adminUrl('team').replace(/:[^:@/]*@/, '@');
    const init = await cli('admin-secret', 'team', 'init', '--url', admin, '--json');
    expect(init.err).toBe('');
    expect(JSON.parse(init.out)).toEqual({ schemaVersion: 2, upgradedFrom: 0 });
    expect(JSON.parse((await cli('admin-secret', 'team', 'init', '--url', admin, '--json')).out)).toEqual({ schemaVersion: 2, upgradedFrom: 2 });
    expect((await cli('admin-secret', 'team', 'add-site', '--url', admin, '--site', 'boat-a', '--role', 'boat_a')).code).toBe(0);
    expect((await cli('admin-secret', 'team', 'add-site', '--url', admin, '--site', 'boat-b', '--role', 'boat_b')).code).toBe(0);
    expect((await cli('admin-secret', 'team', 'add-site', '--url', admin, '--role', 'lab_curator', '--curator')).code).toBe(0);
    // A password in the URL would end up in shell history: refused.
    const inUrl = await cli('x', 'team', 'init', '--url', cluster.adminUrl('team'));
    expect(inUrl.code).toBe(2);
    expect(inUrl.err).toMatch(/leave the password out of --url/);
  });

  it('join refuses a wrong password and a newer team schema, and stores the URL without a password', async () => {
    const wrong = await cli('not-it', 'team', 'join', '--url', urlA, '--site', 'boat-a', '--catalog', a.file);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/refused the login: wrong user or password/);
    expect(teamStatus(a).linked).toBe(false);

    // A server upgraded by a newer Caudal is refused, and left as it was.
    await cluster.sql('UPDATE caudal_team.schema_version SET version = 99', [], 'team');
    const newer = await cli('pw-a', 'team', 'join', '--url', urlA, '--site', 'boat-a', '--catalog', a.file);
    expect(newer.err).toMatch(/team schema version 99, newer than this Caudal knows \(2\)/);
    expect(teamStatus(a).linked).toBe(false);
    await cluster.sql('UPDATE caudal_team.schema_version SET version = 2', [], 'team');

    for (const [c, url, site, pw] of [[a, urlA, 'boat-a', 'pw-a'], [b, urlB, 'boat-b', 'pw-b']] as const) {
      const r = await cli(pw, 'team', 'join', '--url', url, '--site', site, '--catalog', c.file, '--json');
      expect(r.err).toBe('');
      expect(JSON.parse(r.out)).toMatchObject({ site, serverUrl: url });
    }
    // boat_b's login cannot join as boat-a.
    Catalog.open(path.join(dir, 'fresh.sqlite')).close();
    const other = await cli('pw-b', 'team', 'join', '--url', urlB, '--site', 'boat-a', '--catalog', path.join(dir, 'fresh.sqlite'));
    expect(other.err).toMatch(/role of site boat-b, not boat-a/);
    for (const f of [a.file, b.file]) expect(fs.readFileSync(f).includes(Buffer.from('pw-'))).toBe(false);
    expect(teamStatus(a).pending).toBeGreaterThan(0);
  });

  it('syncs both ways: team codes, crops, embeddings, decisions, and conflicts listed with nothing local overwritten', async () => {
    const ra = await sync(a, 'pw-a');
    expect(ra.pushed.rows).toBeGreaterThan(0);
    expect(ra.renamed).toEqual([]);
    expect(await count("SELECT count(*) AS n FROM caudal_team.individuals WHERE code = 'ID-0001' AND site = 'boat-a'")).toBe(1);

    const rb = await sync(b, 'pw-b');
    // boat-b's ID-0001 is another animal as far as anyone knows: it gets a team code, and the rename is logged.
    expect(rb.renamed).toEqual([{ id: shared.b1, code: 'ID-0001-boat-b' }]);
    expect(local(b, 'SELECT code FROM individuals WHERE id = ?', shared.b1)).toBe('ID-0001-boat-b');
    expect(local(b, "SELECT count(*) FROM decisions WHERE decision = 'rename' AND individual_id = ?", shared.b1)).toBe(1);
    // The shared photo's region is identified as two animals: a conflict, and boat-b keeps its own identification.
    const conflictsB = listConflicts(b);
    expect(conflictsB.map((c) => c.kind)).toEqual(['annotation']);
    expect(conflictsB[0].annotationId).toBe(shared.bShared);
    expect(local(b, 'SELECT individual_id FROM annotations WHERE id = ?', shared.bShared)).toBe(shared.b1);
    expect(rb.openConflicts).toBe(1);
    // boat-a's own photo arrived as metadata with its crop and its embedding, matchable at once.
    const pulledPhoto = b.db.prepare("SELECT id, missing, path FROM photos WHERE original_name = 'a.jpg'").get() as { id: number; missing: number; path: string };
    expect(pulledPhoto).toMatchObject({ missing: 1, path: 'team:boat-a/a.jpg' });
    const pulledAnn = local(b, 'SELECT id FROM annotations WHERE photo_id = ?', pulledPhoto.id);
    const crop = await sharp(teamCropFile(b, pulledAnn)).metadata();
    expect(crop.format).toBe('jpeg');
    const bigCrop = await sharp(teamCropFile(b, local(b, 'SELECT id FROM annotations WHERE photo_id = (SELECT photo_id FROM annotations WHERE id = ?) AND id != ?', shared.bShared, shared.bShared) ?? -1)).metadata().catch(() => null);
    expect(bigCrop).toBeNull(); // the shared region matched boat-b's own annotation: no second annotation, no crop for it
    expect(local(b, "SELECT dim FROM embeddings WHERE annotation_id = ? AND model_id = 'tiny'", pulledAnn)).toBe(4);
    expect(local(b, "SELECT code FROM individuals WHERE code = 'ID-0001'")).toBe('ID-0001');

    const ra2 = await sync(a, 'pw-a');
    expect(ra2.pulled.conflicts).toBe(1);
    expect(listConflicts(a)[0]).toMatchObject({ kind: 'annotation', annotationId: shared.aShared, local: { individualId: shared.a1 } });
    // boat-b's decisions (its confirm and its logged rename) are in boat-a's log, exactly once.
    expect(local(a, "SELECT count(*) FROM decisions WHERE decision = 'rename'")).toBe(1);
    expect(local(a, "SELECT count(*) FROM decisions WHERE decision = 'confirm'")).toBe(2);
  });

  it('a sync run again changes nothing', async () => {
    const snapshot = async () => [
      await count('SELECT count(*) AS n FROM caudal_team.decisions'),
      await count('SELECT count(*) AS n FROM caudal_team.annotations'),
      ...[a, b].flatMap((c) => ['photos', 'annotations', 'individuals', 'decisions', 'merge_conflicts'].map((t) => local(c, `SELECT count(*) FROM ${t}`))),
    ];
    const before = await snapshot();
    for (const [c, pw] of [[a, 'pw-a'], [a, 'pw-a']] as const) {
      const r = await sync(c, pw);
      expect(r.pulled.added).toBe(0);
    }
    // The command runs the sync as a job, with the password from PGPASSWORD.
    const viaCli = await cli('pw-b', 'team', 'sync', '--catalog', b.file, '--json');
    expect(viaCli.code).toBe(0);
    expect(JSON.parse(viaCli.out)).toMatchObject({ site: 'boat-b', pulled: { added: 0 }, pending: 0, openConflicts: 1 });
    expect(await snapshot()).toEqual(before);
  });

  it('a sync stopped after its first batch, then run again, neither loses nor doubles a row', async () => {
    // Offline work on boat-a: 40 decisions, a second apart (the merge takes two decisions on one
    // annotation at the same millisecond, same kind and reviewer, to be one).
    const add = a.db.prepare('INSERT INTO decisions (annotation_id, individual_id, decision, details, created_at) VALUES (?, ?, ?, ?, ?)');
    for (let i = 0; i < 40; i++) add.run(shared.aOnly, shared.a1, i % 2 ? 'confirm' : 'skip', JSON.stringify({ i }), new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString());
    const ownDecisions = local(a, "SELECT count(*) FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM team_origin o WHERE o.kind = 'decision' AND o.local_id = d.id)");
    let batches = 0;
    const stopper = { progress: () => void batches++, throwIfCancelled: () => { if (batches >= 1) throw new UserError('cancelled', 'cancelled'); } };
    await expect(sync(a, 'pw-a', { batchRows: 10, progress: stopper })).rejects.toThrow(/cancelled/);
    const partial = await count("SELECT count(*) AS n FROM caudal_team.decisions WHERE site = 'boat-a'");
    expect(partial).toBeLessThan(ownDecisions);
    expect(teamStatus(a).pending).toBeGreaterThan(0);
    const again = await sync(a, 'pw-a', { batchRows: 10 });
    expect(again.pending).toBe(0);
    expect(await count("SELECT count(*) AS n FROM caudal_team.decisions WHERE site = 'boat-a'")).toBe(ownDecisions);
    const before = local(b, 'SELECT count(*) FROM decisions');
    const pulled = await sync(b, 'pw-b');
    // Only the decisions travel: the annotation, photo and individual they point at are already on boat-b (pulled before), which fills them in itself.
    expect(pulled.pulled).toMatchObject({ rows: 40, added: 40 });
    expect(local(b, 'SELECT count(*) FROM decisions')).toBe(before + 40);
    await sync(b, 'pw-b');
    expect(local(b, 'SELECT count(*) FROM decisions')).toBe(before + 40);
  });

  it('a link dropped during a sync is reconnected and the sync finishes', async () => {
    const add = a.db.prepare('INSERT INTO decisions (annotation_id, individual_id, decision, details, created_at) VALUES (?, ?, ?, ?, ?)');
    for (let i = 0; i < 6; i++) add.run(shared.aOnly, shared.a1, 'confirm', '{}', new Date(Date.UTC(2026, 1, 1, 0, 0, i)).toISOString());
    let dropped = 0;
    // After the first batch, the server ends boat-a's session (as a dropped link would), before the next step.
    const dropper = {
      progress: () => {
        if (dropped++ === 0) execFileSync(path.join(bin!, 'psql'), ['-d', cluster.adminUrl('team'), '-qc', "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'boat_a'"]);
      },
      throwIfCancelled: () => {},
    };
    const r = await sync(a, 'pw-a', { batchRows: 2, progress: dropper });
    expect(dropped).toBeGreaterThan(1);
    expect(r.pending).toBe(0);
    expect(await count("SELECT count(*) AS n FROM caudal_team.decisions WHERE site = 'boat-a'")).toBe(
      local(a, "SELECT count(*) FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM team_origin o WHERE o.kind = 'decision' AND o.local_id = d.id)"),
    );
  });

  it('the server refuses a site rewriting, deleting or forging another site\'s decisions; a curator cannot rewrite the log either', async () => {
    const asB = new pg.Client({ connectionString: urlB.replace('boat_b@', 'boat_b:pw-b@') });
    await asB.connect();
    try {
      const target = (await asB.query("SELECT id, reviewer FROM caudal_team.decisions WHERE site = 'boat-a' ORDER BY id LIMIT 1")).rows[0];
      expect(target).toBeDefined();
      // Row-level security hides another site's rows from UPDATE: nothing changes.
      const upd = await asB.query("UPDATE caudal_team.decisions SET reviewer = 'forged' WHERE site = 'boat-a'");
      expect(upd.rowCount).toBe(0);
      await expect(asB.query("DELETE FROM caudal_team.decisions WHERE site = 'boat-a'")).rejects.toThrow(/permission denied/);
      await expect(
        asB.query("INSERT INTO caudal_team.decisions (site, id, seq, annotation_site, annotation_id, decision, created_at) VALUES ('boat-a', 999999, 1, 'boat-a', 1, 'confirm', 'now')"),
      ).rejects.toThrow(/row-level security/);
      await expect(asB.query("UPDATE caudal_team.annotations SET individual_id = NULL WHERE site = 'boat-a'")).resolves.toMatchObject({ rowCount: 0 });
      // Its own decisions: only marking one undone, once.
      await expect(asB.query("UPDATE caudal_team.decisions SET reviewer = 'rewritten' WHERE site = 'boat-b'")).rejects.toThrow(/append-only/);
      const [{ reviewer }] = await cluster.sql<{ reviewer: string | null }>("SELECT reviewer FROM caudal_team.decisions WHERE site = 'boat-a' AND id = $1", [target.id], 'team');
      expect(reviewer).toBe(target.reviewer);
    } finally {
      await asB.end();
    }
    const curator = new pg.Client({ connectionString: `postgres://lab_curator:pw-c@127.0.0.1:${cluster.port}/team` });
    await curator.connect();
    try {
      await expect(curator.query("UPDATE caudal_team.decisions SET reviewer = 'curated' WHERE site = 'boat-a'")).rejects.toThrow(/append-only/);
      await expect(curator.query("DELETE FROM caudal_team.decisions WHERE site = 'boat-a'")).rejects.toThrow(/permission denied/);
      const fixed = await curator.query("UPDATE caudal_team.individuals SET notes = 'checked by the lab' WHERE site = 'boat-a'");
      expect(fixed.rowCount).toBeGreaterThan(0);
    } finally {
      await curator.end();
    }
  });

  it('a conflict is listed under one key on both laptops; only the curator resolves it on the server, and both laptops apply the resolution', async () => {
    // Both laptops met the shared photo's conflict, each from its side: the team knows it by one key.
    const [ca] = teamStatus(a).teamConflicts;
    const [cb] = teamStatus(b).teamConflicts;
    expect(ca).toMatchObject({ kind: 'annotation', conflictId: listConflicts(a)[0].id });
    expect(cb.key).toBe(ca.key);
    expect(ca.options.map((o) => o.label).sort()).toEqual(['ID-0001', 'ID-0001-boat-b']);
    const listedB = JSON.parse((await cli('pw-b', 'team', 'status', '--catalog', b.file, '--json')).out);
    expect(listedB.teamConflicts).toEqual([cb]);
    // The syncs so far reported it, once.
    expect(await count('SELECT count(*) AS n FROM caudal_team.conflicts')).toBe(1);
    const onServer = JSON.parse((await cli('pw-b', 'team', 'conflicts', '--url', urlB, '--json')).out);
    expect(onServer).toMatchObject([{ key: ca.key, state: 'open', kind: 'annotation', options: ca.options }]);
    const id = String(onServer[0].id);
    const boatA = ca.options.find((o) => o.label === 'ID-0001')!.value;
    expect(boatA).toBe(`boat-a/${shared.a1}`);

    // A site cannot resolve it: not through Caudal, not with SQL, not by reporting it resolved.
    const bySite = await cli('pw-b', 'team', 'resolve', '--url', urlB, '--conflict', id, '--choose', boatA);
    expect(bySite.code).toBe(1);
    expect(bySite.err).toMatch(/only the team's curator resolves conflicts/);
    const asB = new pg.Client({ connectionString: urlB.replace('boat_b@', 'boat_b:pw-b@') });
    await asB.connect();
    try {
      await expect(asB.query("UPDATE caudal_team.conflicts SET state = 'resolved', choice = $1", [boatA])).rejects.toThrow(/permission denied/);
      await expect(
        asB.query("INSERT INTO caudal_team.conflicts (key, kind, summary, options, reported_by, state, choice) VALUES ('x', 'code', 's', '[]', 'boat-b', 'resolved', 'same-animal')"),
      ).rejects.toThrow(/permission denied/);
      await expect(asB.query("INSERT INTO caudal_team.conflicts (key, kind, summary, options, reported_by) VALUES ('x', 'code', 's', '[]', 'boat-a')")).rejects.toThrow(/row-level security/);
    } finally {
      await asB.end();
    }
    expect(await count("SELECT count(*) AS n FROM caudal_team.conflicts WHERE state = 'open'")).toBe(1);

    // The curator: a choice that is not an option is refused; one that is, is stamped with the curator's role.
    const curatorUrl = `postgres://lab_curator@127.0.0.1:${cluster.port}/team`;
    expect((await cli('pw-c', 'team', 'resolve', '--url', curatorUrl, '--conflict', id, '--choose', 'boat-c/1')).err).toMatch(/not 'boat-c\/1'/);
    const done = await cli('pw-c', 'team', 'resolve', '--url', curatorUrl, '--conflict', ca.key, '--choose', boatA, '--json');
    expect(done.err).toBe('');
    expect(JSON.parse(done.out)).toMatchObject({ state: 'resolved', choice: boatA, resolvedBy: 'lab_curator' });
    expect((await cli('pw-c', 'team', 'resolve', '--url', curatorUrl, '--conflict', id, '--choose', boatA)).err).toMatch(/already resolved/);

    // Each laptop applies it at its next sync: boat-a keeps its identification, boat-b takes boat-a's animal, both logged as the curator's.
    const ra = await sync(a, 'pw-a');
    expect(ra).toMatchObject({ resolvedByCurator: 1, openConflicts: 0 });
    expect(local(a, 'SELECT individual_id FROM annotations WHERE id = ?', shared.aShared)).toBe(shared.a1);
    const rb = await sync(b, 'pw-b');
    expect(rb).toMatchObject({ resolvedByCurator: 1, openConflicts: 0 });
    const pulledA1 = local(b, "SELECT local_id FROM team_origin WHERE kind = 'individual' AND site = 'boat-a' AND remote_id = ?", shared.a1);
    expect(local(b, 'SELECT individual_id FROM annotations WHERE id = ?', shared.bShared)).toBe(pulledA1);
    expect(local(b, "SELECT count(*) FROM decisions WHERE reviewer = 'curator lab_curator' AND annotation_id = ? AND decision = 'confirm'", shared.bShared)).toBe(1);
    expect(teamStatus(b).teamConflicts).toEqual([]);
    // boat-b's changed identification reaches boat-a and agrees with it: no new conflict either way.
    for (const [c, pw] of [[a, 'pw-a'], [b, 'pw-b'], [a, 'pw-a']] as const) expect((await sync(c, pw)).openConflicts).toBe(0);
  });

  it('a server that cannot be reached fails the sync with a message and never blocks offline work', async () => {
    const c = Catalog.open(path.join(dir, 'offline.sqlite'));
    try {
      teamSyncStore(c).join(`postgres://boat_a@127.0.0.1:1/team`, 'boat-a');
      const err = await sync(c, 'pw-a', { timeoutMs: 2000 }).catch((e: unknown) => e as UserError);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toMatch(/cannot be reached .*work goes on offline/);
      insertIndividual(c, 'ID-OFFLINE');
      expect(teamStatus(c)).toMatchObject({ pending: 1, lastError: expect.stringMatching(/cannot be reached/) });
    } finally {
      c.close();
    }
  });
});
