import fs from 'node:fs';
import path from 'node:path';
import { replaceAtomically, replaceAtomicallySync, writeAtomically, writeFileAtomicallySync } from '../../electron/core/util/atomic-write';
import { tmpDir } from '../helpers/tmp';

describe('atomic writes: a whole new file or the old one, never half, never a leftover', () => {
  it('writes bytes, text and copies into folders it makes', async () => {
    const dir = tmpDir();
    writeFileAtomicallySync(path.join(dir, 'a', 'x.json'), '{"a":1}');
    await writeAtomically(path.join(dir, 'b', 'y.bin'), Buffer.from([1, 2, 3]));
    await writeAtomically(path.join(dir, 'c.json'), path.join(dir, 'a', 'x.json'));
    expect(fs.readFileSync(path.join(dir, 'c.json'), 'utf8')).toBe('{"a":1}');
    expect([...fs.readFileSync(path.join(dir, 'b', 'y.bin'))]).toEqual([1, 2, 3]);
    expect(fs.readdirSync(dir).sort()).toEqual(['a', 'b', 'c.json']);
  });

  it('a producer that fails half-way leaves the previous file and no temporary one', async () => {
    const dir = tmpDir();
    const dest = path.join(dir, 'state.json');
    fs.writeFileSync(dest, 'old');
    const half = (tmp: string) => {
      fs.writeFileSync(tmp, 'ne');
      throw new Error('killed');
    };
    expect(() => replaceAtomicallySync(dest, half)).toThrow('killed');
    await expect(replaceAtomically(dest, async (tmp) => half(tmp))).rejects.toThrow('killed');
    expect(() => writeFileAtomicallySync(path.join(dest, 'under-a-file'), 'x')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
    expect(fs.readFileSync(dest, 'utf8')).toBe('old');
  });

  it('uses the temporary name it is given, and gives each call its own otherwise', async () => {
    const dir = tmpDir();
    const dest = path.join(dir, 'job.ckpt');
    const seen: string[] = [];
    replaceAtomicallySync(dest, (tmp) => (seen.push(tmp), fs.writeFileSync(tmp, '1')), { tmp: `${dest}.tmp` });
    await Promise.all([1, 2].map((n) => replaceAtomically(dest, async (tmp) => (seen.push(tmp), fs.promises.writeFile(tmp, String(n))))));
    expect(seen[0]).toBe(`${dest}.tmp`);
    expect(new Set(seen).size).toBe(3);
    expect(['1', '2']).toContain(fs.readFileSync(dest, 'utf8'));
    expect(fs.readdirSync(dir)).toEqual(['job.ckpt']);
  });
});
