import fs from 'node:fs';
import path from 'node:path';
import { checkArchitecture, describeReport } from '../helpers/architecture';
import { tmpDir } from '../helpers/tmp';

const ROOT = path.resolve(__dirname, '../..');
const STORE = 'electron/core/store';

describe('architecture rules', () => {
  // One read of the repository for the three rules below.
  const report = checkArchitecture(ROOT, ['electron', 'renderer/src'], STORE);

  it('has no import cycle in electron/ or renderer/', () => {
    expect(report.cycles, describeReport({ ...report, sqliteImports: [], sql: [] })).toEqual([]);
  });

  it('imports better-sqlite3 only inside electron/core/store/', () => {
    expect(report.sqliteImports, describeReport({ ...report, cycles: [], sql: [] })).toEqual([]);
  });

  it('holds SQL only inside electron/core/store/', () => {
    expect(report.sql, describeReport({ ...report, cycles: [], sqliteImports: [] })).toEqual([]);
  });

  it('fails on offending fixtures: a cycle, better-sqlite3 and SQL outside the store', () => {
    const root = tmpDir('caudal-arch-');
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('src/a.ts', "import { b } from './b';\nexport const a = () => b();\n");
    write('src/b.ts', "import type { a } from './a';\nexport const b = (): ReturnType<typeof a> | void => undefined;\n");
    write('src/open.ts', "import Database from 'better-sqlite3';\nexport const open = (f: string) => new Database(f);\n");
    write('src/count.ts', "export const count = (db: any) => db.prepare('SELECT COUNT(*) FROM photos').get();\n");
    write('src/literal.ts', 'export const Q = `DELETE FROM jobs WHERE id = ${1}`;\n');
    write('src/schema.ts', "export const up = (h: any) => h.exec('whatever');\n");
    write('src/words.ts', "const P = /^(\\d+)x(\\d+)$/;\nexport const m = (s: string) => [P.exec(s), /a/.exec(s)];\nexport const say = 'select a photo from the list';\n");
    write('src/store/ok.ts', "import Database from 'better-sqlite3';\nexport const n = (db: Database.Database) => db.prepare('SELECT COUNT(*) FROM photos').get();\n");

    const r = checkArchitecture(root, ['src'], 'src/store');
    expect(r.cycles).toEqual([['src/a.ts', 'src/b.ts']]);
    expect(r.sqliteImports).toEqual(['src/open.ts']);
    expect(r.sql.map((s) => s.split('  ')[0]).sort()).toEqual(['src/count.ts:1', 'src/literal.ts:1', 'src/schema.ts:1']);
    expect(describeReport(r)).toMatch(/src\/a\.ts <-> src\/b\.ts[\s\S]*src\/open\.ts[\s\S]*src\/count\.ts:1/);
  });
});
