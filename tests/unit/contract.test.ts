import fs from 'node:fs';
import path from 'node:path';
import { requestNames, type RequestName } from '../../electron/contract';
import { Backend } from '../../electron/core/api/backend';
import { tmpDir } from '../helpers/tmp';

const root = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('the contract', () => {
  it('has a handler for every request, and the backend refuses names outside it', async () => {
    const b = new Backend(path.join(tmpDir(), 'c.sqlite'));
    for (const name of Object.keys(requestNames) as RequestName[]) expect(typeof b.handlers[name], name).toBe('function');
    expect(Object.keys(b.handlers).sort()).toEqual(Object.keys(requestNames).sort());
    await expect(b.request('no.such' as RequestName, {} as never)).rejects.toThrow(/unknown request/);
    const s = await b.request('catalog.summary', {});
    expect(s.schemaVersion).toBeGreaterThanOrEqual(1);
    await b.close();
  });

  it('keeps the layers apart: the core never imports electron, the renderer never imports Node or the core', () => {
    for (const f of [...sources(path.join(root, 'electron/core')), ...sources(path.join(root, 'electron/cli')), ...sources(path.join(root, 'electron/server')), ...sources(path.join(root, 'electron/contract'))]) {
      expect(fs.readFileSync(f, 'utf8'), f).not.toMatch(/from ['"]electron['"]|require\(['"]electron['"]\)/);
    }
    for (const f of sources(path.join(root, 'electron/contract'))) {
      expect(fs.readFileSync(f, 'utf8'), f).not.toMatch(/from ['"](node:|fs|path|better-sqlite3|sharp|onnxruntime)/);
    }
    for (const f of sources(path.join(root, 'renderer/src'))) {
      const text = fs.readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/from ['"](node:|fs['"]|path['"]|electron['"]|better-sqlite3|sharp|onnxruntime)/);
      expect(text, f).not.toMatch(/from ['"][./]*electron\/(core|main|server|cli)\//);
    }
  });
});
