import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from '../util/process-alive';

/**
 * Files a merge brings, written and verified in a temporary folder inside the catalog's files
 * folder (same disk, so placing them is a rename), then placed in one step from inside the
 * database transaction: if placing fails the transaction rolls back, and if the transaction
 * fails what was placed is taken back. Either way the files folder ends as it began.
 */
export class StagedFiles {
  readonly dir: string;
  private files: Array<{ tmp: string; dest: string }> = [];
  private placed: string[] = [];
  private madeDirs: string[] = [];

  constructor(private readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
    removeAbandoned(root);
    this.dir = fs.mkdtempSync(path.join(root, `.incoming-${process.pid}-`));
  }

  /** A fresh path in the staging folder for `rel` (relative to the files folder); confined to it. */
  stage(rel: string): string {
    const dest = path.resolve(this.root, rel);
    if (!dest.startsWith(this.root + path.sep)) throw new Error(`${rel} is outside the catalog's files folder`);
    const tmp = path.join(this.dir, String(this.files.length));
    this.files.push({ tmp, dest });
    return tmp;
  }

  /** Renames every staged file into place (a place already taken is left as it is). */
  place(): void {
    try {
      for (const f of this.files) {
        if (!fs.existsSync(f.tmp) || fs.existsSync(f.dest)) continue;
        this.mkdirs(path.dirname(f.dest));
        fs.renameSync(f.tmp, f.dest);
        this.placed.push(f.dest);
      }
    } catch (e) {
      this.undo();
      throw e;
    }
  }

  /** Takes back what `place` put there, newest first, and the folders it made. */
  undo(): void {
    for (const f of this.placed.reverse()) fs.rmSync(f, { force: true });
    for (const d of this.madeDirs.reverse()) {
      try {
        fs.rmdirSync(d);
      } catch {
        // not empty: something else lives there now
      }
    }
    this.placed = [];
    this.madeDirs = [];
  }

  discard(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private mkdirs(d: string): void {
    if (fs.existsSync(d)) return;
    this.mkdirs(path.dirname(d));
    fs.mkdirSync(d);
    this.madeDirs.push(d);
  }
}

/** A merge killed part-way leaves its staging folder behind; nothing in it was placed, so it goes. */
function removeAbandoned(root: string): void {
  for (const name of fs.readdirSync(root)) {
    const m = /^\.incoming-(\d+)-/.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}
