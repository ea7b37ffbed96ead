import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { Catalog } from '../../electron/core/store/catalog';
import { runExport } from '../../electron/core/exchange/run-export';
import { noProgress } from '../../electron/core/export/progress';
import { mergeBundle } from '../../electron/core/bundle/merge';
import type { BundleLimits } from '../../electron/core/bundle/bundle-zip';
import { buildCatalog, catalogFingerprint, makeJpeg } from '../helpers/fixture-catalog';
import { renditionFile } from '../../electron/core/media/media';
import { seasonA } from '../helpers/exchange-fixtures';
import { snapshot } from '../helpers/catalog-snapshot';
import { tmpDir } from '../helpers/tmp';

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

/** Every file under a folder with its content hash: "exactly as before" for the files folder. */
function filesWithHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else out[path.relative(dir, f)] = e.isFile() ? sha(fs.readFileSync(f)) : 'not a file';
    }
  };
  walk(dir);
  return out;
}

/** The CEN record's uncompressed size of `name`, overwritten: a header that lies about what it inflates to. */
function understate(zip: Uint8Array, name: string, size: number): Uint8Array {
  const b = Buffer.from(zip);
  for (let p = b.length - 46; p >= 0; p--) {
    if (b.readUInt32LE(p) !== 0x02014b50) continue;
    const len = b.readUInt16LE(p + 28);
    if (b.toString('utf8', p + 46, p + 46 + len) !== name) continue;
    b.writeUInt32LE(size, p + 24);
    return new Uint8Array(b);
  }
  throw new Error(`no ${name} in the zip`);
}

describe('hostile bundles: refused before anything is written, catalog and files folder exactly as before', () => {
  let dir: string;
  let bundleA: string;
  let target: string;
  let original: Record<string, Uint8Array>;
  let manifest: any;

  beforeAll(async () => {
    dir = tmpDir();
    const a = await buildCatalog(path.join(dir, 'a.sqlite'), seasonA);
    // thumbnails, as an import makes them, so the bundle carries some
    for (const [i, s] of (a.db.prepare('SELECT sha256 FROM photos ORDER BY id').pluck().all() as string[]).entries()) {
      const f = renditionFile(a, s, 'thumb');
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, await makeJpeg(100 + i, 32, 24));
    }
    bundleA = path.join(dir, 'a.caudal');
    await runExport(a, 'bundle', bundleA, { thumbnails: true }, noProgress);
    a.close();
    original = unzipSync(new Uint8Array(fs.readFileSync(bundleA)));
    manifest = JSON.parse(Buffer.from(original['manifest.json']).toString('utf8'));
    target = path.join(dir, 'target.sqlite');
    (await buildCatalog(target, { ...seasonA, photos: seasonA.photos!.slice(0, 2), settings: { reviewer: 'zoe' } })).close();
  });

  /** Writes a bundle from A's entries after `mutate`; `finish` may patch the zip's bytes. */
  const craft = (mutate: (files: Zippable, m: any) => void, finish: (zip: Uint8Array) => Uint8Array = (z) => z): string => {
    const files: Zippable = { ...original };
    const m = structuredClone(manifest);
    mutate(files, m);
    if (!('manifest.json' in files) || files['manifest.json'] === original['manifest.json']) files['manifest.json'] = strToU8(JSON.stringify(m));
    // Photos and the database stored as our writer stores them; what a test adds it deflates itself.
    const out: Zippable = {};
    for (const [k, v] of Object.entries(files)) out[k] = v instanceof Uint8Array && v === original[k] ? [v, { level: 0 }] : v;
    const f = path.join(dir, `crafted-${crypto.randomUUID()}.caudal`);
    fs.writeFileSync(f, finish(zipSync(out)));
    return f;
  };

  const expectRefused = async (bundle: string, message: RegExp, limits: Partial<BundleLimits> = {}) => {
    const before = catalogFingerprint(target);
    const c = Catalog.open(target);
    const rows = snapshot(c);
    const files = filesWithHashes(c.filesDir);
    const merges = c.db.prepare('SELECT COUNT(*) FROM merges').pluck().get();
    const err = await mergeBundle(c, bundle, noProgress, null, limits).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(message);
    expect(snapshot(c)).toEqual(rows);
    expect(c.db.prepare('SELECT COUNT(*) FROM merges').pluck().get()).toBe(merges);
    expect(filesWithHashes(c.filesDir)).toEqual(files);
    c.close();
    expect(catalogFingerprint(target)).toEqual(before);
    // nothing escaped beside the bundle or the catalog either
    expect(fs.readdirSync(dir).filter((f) => /evil|escaped/.test(f))).toEqual([]);
  };

  it('a bomb: a thumbnail of 8 MiB of deflated zeros is refused by its ratio, unread', async () => {
    const zeros = new Uint8Array(8 * MiB);
    const name = `thumbs/00/${'0'.repeat(64)}.thumb.jpg`;
    const bomb = craft((files, m) => {
      files[name] = [zeros, { level: 9 }];
      m.files[name] = sha(zeros); // vouched for: only the limits stop it
    });
    expect(fs.statSync(bomb).size).toBeLessThan(MiB);
    await expectRefused(bomb, /refused: thumbs\/00\/0+\.thumb\.jpg would inflate \d+-fold \(8388608 bytes\), over the limit of 100:1/);
  });

  it('a bomb in manifest.json is refused before it is parsed', async () => {
    const padded = strToU8(JSON.stringify(manifest) + ' '.repeat(8 * MiB));
    await expectRefused(craft((files) => (files['manifest.json'] = [padded, { level: 9 }])), /manifest\.json would inflate \d+-fold/);
    // small enough to pass the ratio, but over a (lowered) manifest cap
    await expectRefused(craft((files) => (files['manifest.json'] = [strToU8(JSON.stringify(manifest) + ' '.repeat(4000)), { level: 0 }])), /manifest\.json declares \d+ bytes, over the limit of 2000/, { maxManifestBytes: 2000 });
  });

  it('an entry whose header understates its size is stopped while it streams', async () => {
    const real = strToU8(JSON.stringify(manifest) + ' '.repeat(2 * MiB));
    const liar = craft((files) => (files['manifest.json'] = [real, { level: 9 }]), (z) => understate(z, 'manifest.json', 1000));
    await expectRefused(liar, /manifest\.json (inflates past its declared 1000 bytes|is damaged \(too many bytes)/);
  });

  it('per-entry, total and entry-count limits (lowered for the test) hold', async () => {
    await expectRefused(bundleA, /catalog\.sqlite declares \d+ bytes, over the limit of 10000 for one entry/, { maxEntryBytes: 10_000 });
    await expectRefused(bundleA, /entries declare \d+ bytes in all, over the limit of 50000/, { maxTotalBytes: 50_000 });
    await expectRefused(bundleA, /it has \d+ entries, over the limit of 3/, { maxEntries: 3 });
  });

  it('an entry that is both a file and a folder (thumbs/x and thumbs/x/y) is refused before any row or file', async () => {
    const bundle = craft((files) => {
      files['thumbs/x'] = strToU8('one');
      files['thumbs/x/y'] = strToU8('two');
    });
    await expectRefused(bundle, /'thumbs\/x' is both a file and a folder of other entries/);
    const cased = craft((files) => {
      files['thumbs/AB'] = strToU8('one');
      files['thumbs/ab'] = strToU8('two');
    });
    await expectRefused(cased, /the entries 'thumbs\/AB' and 'thumbs\/ab' would be the same file/);
  });

  it('a media entry that does not hold the photo it claims (text for a JPEG) is refused', async () => {
    // a photo the target lacks, so the merge must bring its bytes
    const c = Catalog.open(target);
    const here = new Set(c.db.prepare('SELECT sha256 FROM photos').pluck().all() as string[]);
    c.close();
    const [photoSha, entry] = Object.entries(manifest.media as Record<string, string>).find(([s]) => !here.has(s))!;
    const forged = craft((files) => (files[entry] = strToU8('<script>alert(1)</script> not a photo')));
    await expectRefused(forged, new RegExp(`${entry.replace(/[.]/g, '\\.')} does not hold the photo ${photoSha.slice(0, 12)}\\.\\.\\. it claims`));
  });

  it('a thumbnail whose bytes differ from the sha256 the manifest lists is refused', async () => {
    const c = Catalog.open(target);
    const thumb = Object.keys(manifest.files).find((n) => n.startsWith('thumbs/') && !fs.existsSync(path.join(c.filesDir, n)))!;
    c.close();
    const forged = craft((files) => (files[thumb] = strToU8('not the thumbnail')));
    await expectRefused(forged, /does not hold the file it claims/);
  });

  it('symbolic-link entries are refused', async () => {
    const thumb = Object.keys(manifest.files).find((n) => n.startsWith('thumbs/'))!;
    const link = craft((files) => (files[thumb] = [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0, level: 0 }]));
    await expectRefused(link, /is a symbolic link/);
  });

  for (const name of ['../escaped.txt', '/tmp/evil.txt', 'thumbs/../../evil.txt', 'C:/evil.txt', 'C:evil.txt', 'D:\\evil.txt', 'thumbs\\..\\..\\evil.txt', 'media/./x.jpg', 'media//x.jpg']) {
    it(`a traversal or odd entry name (${name}) is refused and writes nothing`, async () => {
      await expectRefused(craft((files) => (files[name] = strToU8('escaped'))), /refused: (a bad entry \((invalid relative path|absolute path)|the entry name .* is not a plain relative path)/);
    });
  }

  it('a merge that fails while placing its files (after the rows) leaves rows and files exactly as before', async () => {
    // An empty catalog whose files folder has a file where the thumbnails folder must go.
    const file = path.join(tmpDir(), 'blocked.sqlite');
    const c = Catalog.open(file);
    fs.writeFileSync(path.join(c.filesDir, 'thumbs'), 'in the way');
    const rows = snapshot(c);
    const files = filesWithHashes(c.filesDir);
    const err = await mergeBundle(c, bundleA, noProgress).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/merging .* failed and was rolled back; the catalog was not changed \((EEXIST|ENOTDIR)/);
    expect(snapshot(c)).toEqual(rows);
    expect(c.db.prepare('SELECT COUNT(*) FROM merges').pluck().get()).toBe(0);
    expect(filesWithHashes(c.filesDir)).toEqual(files);
    // with the way cleared, the same bundle merges whole (and a staging folder a killed merge left goes)
    fs.rmSync(path.join(c.filesDir, 'thumbs'));
    const abandoned = path.join(c.filesDir, '.incoming-999999999-x');
    fs.mkdirSync(abandoned);
    fs.writeFileSync(path.join(abandoned, '0'), 'half a photo');
    const ok = await mergeBundle(c, bundleA, noProgress);
    expect(fs.existsSync(abandoned)).toBe(false);
    expect(ok.added.photos).toBe(6);
    for (const p of c.db.prepare('SELECT path FROM photos WHERE copied = 1').pluck().all() as string[]) expect(fs.existsSync(path.join(c.filesDir, p))).toBe(true);
    expect(Object.keys(filesWithHashes(c.filesDir)).filter((f) => f.startsWith('thumbs')).length).toBe(Object.keys(manifest.files).filter((n) => n.startsWith('thumbs/')).length);
    c.close();
  });
});
