import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tmpDir } from '../helpers/tmp';

const bin = path.join(__dirname, '..', '..', 'bin', 'caudal.js');
const caudal = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('caudal info (the built CLI)', () => {
  it('creates a missing catalog and prints its counts as JSON', () => {
    const file = path.join(tmpDir(), 'sub dir', 'new catalog.sqlite');
    const r = caudal('info', '--catalog', file, '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toEqual({ schemaVersion: expect.any(Number), individuals: 0, photos: 0, annotations: 0, identified: 0, embeddings: 0, activeModel: null, species: '', bodyPart: '' });
    expect(out.schemaVersion).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('refuses a newer catalog with a non-zero exit and leaves it byte-identical', () => {
    const file = path.join(tmpDir(), 'future.sqlite');
    execFileSync(process.execPath, [bin, 'info', '--catalog', file]);
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    const hash = () => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const before = hash();
    const r = caudal('info', '--catalog', file, '--json');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/schema version 999, newer than this Caudal knows/);
    expect(hash()).toBe(before);
  });

  it('explains usage errors and has --help everywhere', () => {
    const bad = caudal('info', '--frobnicate');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--frobnicate'/);
    const help = caudal('info', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: caudal info/);
    const top = caudal('--help');
    expect(top.stdout).toMatch(/Commands:/);
    expect(caudal('nonsense').status).toBe(2);
  });
});
