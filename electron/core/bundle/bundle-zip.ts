import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { UserError } from '../util/errors';
import { replaceAtomically } from '../util/atomic-write';

/**
 * What a bundle may ask of this machine. A bundle is untrusted input (it comes on a USB stick
 * from another laptop, or from anyone): every number here is checked against the central
 * directory before anything is read, and again on the bytes as they stream, so a lying header
 * cannot get further than its own declared size.
 */
export interface BundleLimits {
  /** Entries in the archive (a catalog of 100k photos with thumbnails has ~300k). */
  maxEntries: number;
  /** Uncompressed bytes of any one entry (a photo or the database). */
  maxEntryBytes: number;
  /** Uncompressed bytes of manifest.json, which is parsed in memory. */
  maxManifestBytes: number;
  /** Uncompressed bytes of all entries together. */
  maxTotalBytes: number;
  /** Uncompressed : compressed, for entries above RATIO_FLOOR bytes (zip bombs are all ratio). */
  maxRatio: number;
}

const GiB = 1024 ** 3;
export const BUNDLE_LIMITS: BundleLimits = {
  maxEntries: 1_000_000,
  maxEntryBytes: 16 * GiB,
  maxManifestBytes: 256 * 1024 * 1024,
  maxTotalBytes: 4096 * GiB,
  maxRatio: 100,
};
/** Small entries may compress as well as they like (a JSON file of zeros is harmless). */
export const RATIO_FLOOR = 1024 * 1024;

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export interface BundleEntry {
  name: string;
  size: number;
  compressedSize: number;
  crc32: number;
  raw: yauzl.Entry;
}

/**
 * A bundle's zip, read through yauzl (central directory, Zip64, names checked for absolute
 * paths and `..`) with Caudal's own limits on top. Opening refuses, before any byte is
 * extracted: too many entries, an entry or a total over the size limits, a compression ratio
 * over the limit, symbolic links, encrypted or unknown compression, names that are not plain
 * relative paths, and two names that would land on the same file (`a` and `A`, or `x` both a
 * file and a folder). Extraction streams each entry with its size, CRC and (when given) sha256
 * checked on the way, and writes nothing under the final name until every check passed.
 */
export class BundleZip {
  private extracted = 0;

  private constructor(
    readonly file: string,
    private readonly zip: yauzl.ZipFile,
    readonly entries: Map<string, BundleEntry>,
    readonly limits: BundleLimits,
  ) {}

  static async open(file: string, limits: Partial<BundleLimits> = {}): Promise<BundleZip> {
    const lim = { ...BUNDLE_LIMITS, ...limits };
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      throw new UserError(`no file at ${file}`, 'not-found');
    }
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false });
    } catch (e) {
      throw new UserError(`${file} is not a complete zip archive (truncated, or not a bundle): ${(e as Error).message}`, 'bad-bundle');
    }
    try {
      if (zip.entryCount > lim.maxEntries) throw bad(file, `it has ${zip.entryCount} entries, over the limit of ${lim.maxEntries}`);
      const entries = await readEntries(file, zip);
      checkEntries(file, size, entries, lim);
      return new BundleZip(file, zip, new Map(entries.filter((e) => !e.name.endsWith('/')).map((e) => [e.name, e])), lim);
    } catch (e) {
      zip.close();
      throw e;
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** An entry into memory, refused above `max` bytes before it is inflated. */
  async read(name: string, max = this.limits.maxManifestBytes): Promise<Buffer> {
    const e = this.entry(name);
    if (e.size > max) throw bad(this.file, `${name} declares ${e.size} bytes, over the limit of ${max}`);
    const chunks: Buffer[] = [];
    await this.stream(e, max, (c) => chunks.push(c));
    return Buffer.concat(chunks);
  }

  /**
   * Streams an entry to `dest` through `<dest>.part` (util/atomic-write); with `sha256`, the
   * bytes must hash to it or nothing is left behind. Returns the entry's sha256.
   */
  async extractTo(name: string, dest: string, expect?: { sha256: string; what: string }): Promise<string> {
    const e = this.entry(name);
    return replaceAtomically(
      dest,
      async (part) => {
        const out = fs.createWriteStream(part, { flags: 'wx' });
        try {
          const sha = await this.stream(e, this.limits.maxEntryBytes, (c) => out.write(c), out);
          if (expect && sha !== expect.sha256) {
            throw bad(this.file, `${name} does not hold ${expect.what} it claims (its sha256 is ${sha.slice(0, 12)}..., the manifest says ${expect.sha256.slice(0, 12)}...)`);
          }
          return sha;
        } catch (err) {
          out.destroy();
          throw err;
        }
      },
      { tmp: `${dest}.part` },
    );
  }

  close(): void {
    this.zip.close();
  }

  private entry(name: string): BundleEntry {
    const e = this.entries.get(name);
    if (!e) throw bad(this.file, `it has no ${name}`);
    return e;
  }

  /** Counts every byte against the entry's declared size, `max` and the bundle's total, while it streams. */
  private async stream(e: BundleEntry, max: number, sink: (c: Buffer) => void, out?: fs.WriteStream): Promise<string> {
    const cap = Math.min(e.size, max);
    const hash = crypto.createHash('sha256');
    let crc = 0;
    let n = 0;
    const check = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        n += chunk.length;
        this.extracted += chunk.length;
        if (n > cap) return cb(bad(this.file, `${e.name} inflates past its declared ${cap} bytes`));
        if (this.extracted > this.limits.maxTotalBytes) return cb(bad(this.file, `it inflates past the limit of ${this.limits.maxTotalBytes} bytes in all`));
        crc = zlib.crc32(chunk, crc);
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    let input: NodeJS.ReadableStream;
    try {
      input = await new Promise<NodeJS.ReadableStream>((resolve, reject) => this.zip.openReadStream(e.raw, (err, s) => (err ? reject(err) : resolve(s))));
    } catch (err) {
      throw bad(this.file, `cannot read ${e.name} (${(err as Error).message})`);
    }
    try {
      if (out) await pipeline(input, check, out);
      else await pipeline(input, check, async function* (src: AsyncIterable<Buffer>) {
        for await (const c of src) sink(c);
      });
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw bad(this.file, `${e.name} is damaged (${(err as Error).message})`);
    }
    if (n !== e.size || crc !== e.crc32) throw bad(this.file, `${e.name} is damaged (checksum mismatch)`);
    return hash.digest('hex');
  }
}

const bad = (file: string, why: string) => new UserError(`${file} is refused: ${why}. The catalog was not changed.`, 'bad-bundle');

async function readEntries(file: string, zip: yauzl.ZipFile): Promise<BundleEntry[]> {
  const out: BundleEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (raw: yauzl.Entry) => {
      out.push({ name: raw.fileName.normalize('NFC'), size: raw.uncompressedSize, compressedSize: raw.compressedSize, crc32: raw.crc32, raw });
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    // yauzl names the entry: "invalid relative path: ../x", "absolute path: /etc/x", ...
    zip.on('error', (e: Error) => reject(bad(file, `a bad entry (${e.message})`)));
    zip.readEntry();
  });
  return out;
}

function checkEntries(file: string, fileSize: number, entries: BundleEntry[], lim: BundleLimits): void {
  const seen = new Map<string, string>();
  const folders = new Set<string>();
  let total = 0;
  for (const e of entries) {
    const { name, raw } = e;
    const parts = name.replace(/\/$/, '').split('/');
    if (!name || parts.some((s) => s === '' || s === '.' || s === '..') || /[\u0000-\u001f]/.test(name)) throw bad(file, `the entry name '${name}' is not a plain relative path`);
    if (((raw.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw bad(file, `${name} is a symbolic link (a bundle holds only files)`);
    if (raw.isEncrypted()) throw bad(file, `${name} is encrypted`);
    if (raw.compressionMethod !== 0 && raw.compressionMethod !== 8) throw bad(file, `${name} uses zip compression method ${raw.compressionMethod}, which Caudal does not read`);
    if (e.size > lim.maxEntryBytes) throw bad(file, `${name} declares ${e.size} bytes, over the limit of ${lim.maxEntryBytes} for one entry`);
    if (e.size > RATIO_FLOOR && e.size > lim.maxRatio * Math.max(1, e.compressedSize)) {
      throw bad(file, `${name} would inflate ${Math.round(e.size / Math.max(1, e.compressedSize))}-fold (${e.size} bytes), over the limit of ${lim.maxRatio}:1`);
    }
    total += e.size;
    // Case-folded: on macOS and Windows `A` and `a` are one file.
    const key = name.replace(/\/$/, '').toLowerCase();
    const other = seen.get(key);
    if (other !== undefined && !(name.endsWith('/') && other.endsWith('/'))) throw bad(file, `the entries '${other}' and '${name}' would be the same file`);
    seen.set(key, name);
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/').toLowerCase());
  }
  for (const [key, name] of seen) {
    if (!name.endsWith('/') && folders.has(key)) throw bad(file, `'${name}' is both a file and a folder of other entries`);
  }
  // The derived bound: nothing legitimate inflates past the archive's size times the ratio.
  const bound = Math.min(lim.maxTotalBytes, Math.max(fileSize, RATIO_FLOOR) * lim.maxRatio);
  if (total > bound) throw bad(file, `its entries declare ${total} bytes in all, over the limit of ${bound}`);
}
