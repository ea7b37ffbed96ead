import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { Catalog } from '../../electron/core/store/catalog';
import { latestVersion, loadMigrations, type Migration } from '../../electron/core/store/migrate';
import { tmpDir } from '../helpers/tmp';

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const real = loadMigrations();

describe('catalog migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmpDir();
  });

  it('creates a new catalog at the latest version, in WAL mode with foreign keys on', () => {
    const c = Catalog.open(path.join(dir, 'new.sqlite'));
    expect(c.schemaVersion).toBe(latestVersion(real));
    expect(c.schemaVersion).toBeGreaterThanOrEqual(1);
    expect(c.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(c.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = c.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of ['individuals', 'encounters', 'photos', 'annotations', 'models', 'embeddings', 'decisions', 'jobs', 'imports', 'features', 'settings']) {
      expect(tables).toContain(t);
    }
    expect(fs.existsSync(c.filesDir)).toBe(true);
    c.close();
  });

  it('refuses a catalog newer than the app and leaves it byte-identical', () => {
    const file = path.join(dir, 'newer.sqlite');
    Catalog.open(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${latestVersion(real) + 5}`);
    db.close();
    const before = sha(file);
    const listing = fs.readdirSync(dir).sort();
    expect(() => Catalog.open(file)).toThrow(/newer than this Caudal knows/);
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(dir).sort()).toEqual(listing);
  });

  it('refuses a file that is not SQLite without changing it', () => {
    const file = path.join(dir, 'photo.jpg');
    fs.writeFileSync(file, Buffer.from('not a database at all, just some bytes'));
    const before = sha(file);
    expect(() => Catalog.open(file)).toThrow(/not a Caudal catalog/);
    expect(sha(file)).toBe(before);
  });

  it('0007 marks existing whole-frame annotations as frames and every other box as a person\'s', () => {
    const file = path.join(dir, 'v6.sqlite');
    const old = Catalog.open(file, { migrations: real.filter((m) => m.version <= 6) });
    old.db.prepare("INSERT INTO photos(id, sha256, path, original_name, width, height) VALUES (1, 'a', '/p/a.jpg', 'a.jpg', 800, 600)").run();
    const ins = old.db.prepare('INSERT INTO annotations(photo_id, x, y, w, h) VALUES (1, ?, ?, ?, ?)');
    ins.run(0, 0, 800, 600);
    ins.run(10, 20, 300, 200);
    ins.run(0, 0, 800, 500);
    old.close();
    const c = Catalog.open(file);
    expect(c.db.prepare('SELECT source FROM annotations ORDER BY id').pluck().all()).toEqual(['frame', 'person', 'person']);
    expect(() => c.db.prepare("UPDATE annotations SET source = 'guessed' WHERE id = 1").run()).toThrow(/CHECK/);
    c.close();
  });

  it('upgrades from version N-1, carrying rows through, after taking a backup', () => {
    const file = path.join(dir, 'old.sqlite');
    const v1 = real.filter((m) => m.version === 1);
    const c1 = Catalog.open(file, { migrations: v1 });
    c1.db.prepare("INSERT INTO individuals(code, name) VALUES ('HW-0001', 'Salt')").run();
    c1.close();
    const next: Migration = { version: 2, name: 'add_colour', sql: "ALTER TABLE individuals ADD COLUMN colour TEXT NOT NULL DEFAULT 'unknown';" };
    const c2 = Catalog.open(file, { migrations: [...v1, next] });
    expect(c2.schemaVersion).toBe(2);
    expect(c2.db.prepare('SELECT code, name, colour FROM individuals').get()).toEqual({ code: 'HW-0001', name: 'Salt', colour: 'unknown' });
    c2.close();
    const backups = fs.readdirSync(dir).filter((f) => f.startsWith('old.sqlite.v1.') && f.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    const b = new Database(path.join(dir, backups[0]), { readonly: true });
    expect(b.pragma('user_version', { simple: true })).toBe(1);
    expect(b.prepare('SELECT code FROM individuals').pluck().all()).toEqual(['HW-0001']);
    b.close();
  });

  it('rolls a failing migration back completely and leaves the data intact', () => {
    const file = path.join(dir, 'fail.sqlite');
    const v1 = real.filter((m) => m.version === 1);
    const c1 = Catalog.open(file, { migrations: v1 });
    c1.db.prepare("INSERT INTO individuals(code) VALUES ('HW-0007')").run();
    c1.close();
    const good: Migration = { version: 2, name: 'good', sql: 'CREATE TABLE extra (id INTEGER PRIMARY KEY);' };
    const bad: Migration = { version: 3, name: 'bad', sql: 'ALTER TABLE individuals ADD COLUMN x TEXT; SELECT * FROM no_such_table;' };
    expect(() => Catalog.open(file, { migrations: [...v1, good, bad] })).toThrow(/migration 3_bad failed/);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeUndefined();
    expect(db.prepare('SELECT * FROM individuals').all()).toHaveLength(1);
    expect(db.prepare('PRAGMA table_info(individuals)').all().map((r: any) => r.name)).not.toContain('x');
    db.close();
  });

  it('keeps the decision log append-only', () => {
    const c = Catalog.open(path.join(dir, 'log.sqlite'));
    const p = c.db.prepare("INSERT INTO photos(sha256, path, original_name, width, height) VALUES ('a', '/x.jpg', 'x.jpg', 10, 10)").run();
    const a = c.db.prepare('INSERT INTO annotations(photo_id, x, y, w, h) VALUES (?, 0, 0, 10, 10)').run(p.lastInsertRowid);
    const d = c.db.prepare("INSERT INTO decisions(annotation_id, decision, reviewer) VALUES (?, 'skip', 'me')").run(a.lastInsertRowid);
    expect(() => c.db.prepare('DELETE FROM decisions').run()).toThrow(/append-only/);
    expect(() => c.db.prepare("UPDATE decisions SET reviewer = 'other'").run()).toThrow(/append-only/);
    c.db.prepare("UPDATE decisions SET undone_at = '2026-01-01T00:00:00Z' WHERE id = ?").run(d.lastInsertRowid);
    expect(() => c.db.prepare("UPDATE decisions SET undone_at = '2026-01-02T00:00:00Z'").run()).toThrow(/append-only/);
    c.close();
  });

  it('drops stale embeddings and features when a box moves', () => {
    const c = Catalog.open(path.join(dir, 'box.sqlite'));
    c.db.prepare("INSERT INTO models(id, name, kind, manifest) VALUES ('m', 'm', 'pretrained', '{}')").run();
    const p = c.db.prepare("INSERT INTO photos(sha256, path, original_name, width, height) VALUES ('b', '/y.jpg', 'y.jpg', 10, 10)").run();
    const a = Number(c.db.prepare('INSERT INTO annotations(photo_id, x, y, w, h) VALUES (?, 0, 0, 10, 10)').run(p.lastInsertRowid).lastInsertRowid);
    c.db.prepare("INSERT INTO embeddings(annotation_id, model_id, dim, vector) VALUES (?, 'm', 1, x'00000000')").run(a);
    c.db.prepare("UPDATE annotations SET quality = 4 WHERE id = ?").run(a);
    expect(c.db.prepare('SELECT COUNT(*) FROM embeddings').pluck().get()).toBe(1);
    c.db.prepare('UPDATE annotations SET w = 5 WHERE id = ?').run(a);
    expect(c.db.prepare('SELECT COUNT(*) FROM embeddings').pluck().get()).toBe(0);
    c.close();
  });
});
