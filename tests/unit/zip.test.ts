import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync, zipSync, strToU8 } from 'fflate';
import { ZipFileWriter } from '../../electron/core/export/zip-write';
import { BundleZip } from '../../electron/core/bundle/bundle-zip';
import { tmpDir } from '../helpers/tmp';

describe('streaming zip writer (yazl), read back through the bundle reader (yauzl)', () => {
  it('round-trips stored and deflated entries, readable by fflate too', async () => {
    const dir = tmpDir();
    const big = path.join(dir, 'photo.bin');
    const bytes = Buffer.alloc(2_500_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    fs.writeFileSync(big, bytes);
    const file = path.join(dir, 'a.zip');
    const w = new ZipFileWriter(file);
    w.addBuffer('manifest.json', '{"format":"x"}');
    await w.addFile('media/photo.bin', big);
    w.addBuffer('notes/ñandú.txt', 'stored text', false);
    expect(fs.existsSync(file)).toBe(false); // only a temporary file exists until finish()
    await w.finish();
    expect(fs.readdirSync(dir).sort()).toEqual(['a.zip', 'photo.bin']);
    const r = await BundleZip.open(file);
    expect([...r.entries.keys()]).toEqual(['manifest.json', 'media/photo.bin', 'notes/ñandú.txt']);
    expect((await r.read('manifest.json')).toString()).toBe('{"format":"x"}');
    fs.mkdirSync(path.join(dir, 'out'));
    await r.extractTo('media/photo.bin', path.join(dir, 'out', 'p.bin'));
    expect(fs.readFileSync(path.join(dir, 'out', 'p.bin')).equals(fs.readFileSync(big))).toBe(true);
    r.close();
    const viaFflate = unzipSync(new Uint8Array(fs.readFileSync(file)));
    expect(strFromU8(viaFflate['notes/ñandú.txt'])).toBe('stored text');
    expect(viaFflate['media/photo.bin'].length).toBe(2_500_000);
  });

  it('reads plain (non-Zip64) archives and catches damaged bytes by CRC', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'plain.zip');
    fs.writeFileSync(file, zipSync({ 'a.txt': strToU8('hello hello hello'), 'b.bin': [new Uint8Array(5000).fill(3), { level: 0 }] }));
    const r = await BundleZip.open(file);
    expect((await r.read('a.txt')).toString()).toBe('hello hello hello');
    r.close();
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf(Buffer.alloc(64, 3));
    bytes[at + 10] = 9;
    fs.writeFileSync(file, bytes);
    const damaged = await BundleZip.open(file);
    await expect(damaged.extractTo('b.bin', path.join(dir, 'b.bin'))).rejects.toThrow(/b.bin is damaged \(checksum mismatch\)/);
    expect(fs.readdirSync(dir)).toEqual(['plain.zip']);
    damaged.close();
  });

  it('refuses entry names that climb out of the archive, and an aborted archive leaves no file', async () => {
    const dir = tmpDir();
    const w = new ZipFileWriter(path.join(dir, 'x.zip'));
    w.addBuffer('fine.txt', 'x');
    expect(() => w.addBuffer('../evil', 'x')).toThrow(/invalid relative path: \.\.\/evil/);
    expect(() => w.addBuffer('/etc/evil', 'x')).toThrow(/absolute path/);
    expect(() => w.addBuffer('C:/evil', 'x')).toThrow(/absolute path/);
    expect(() => w.addBuffer('a\\..\\..\\evil', 'x')).toThrow(/invalid relative path/); // backslashes are read as separators
    await expect(w.addFile('../evil.bin', path.join(dir, 'x.zip'))).rejects.toThrow();
    await w.abort();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a source that fails mid-export fails the archive and leaves nothing', async () => {
    const dir = tmpDir();
    const w = new ZipFileWriter(path.join(dir, 'y.zip'));
    await expect(w.addFile('media/gone.jpg', path.join(dir, 'gone.jpg'))).rejects.toThrow(/ENOENT/);
    await w.abort();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
