import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { UserError } from '../util/errors';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const MAX32 = 0xffffffff;
const CHUNK = 1 << 20;

/**
 * Random-access reader over a zip's central directory: lists entries without reading the
 * whole file, and extracts one entry at a time with its CRC checked. A truncated file has no
 * end-of-central-directory record and is refused before anything is extracted.
 */
export class ZipFileReader {
  readonly entries: Map<string, ZipEntry>;
  private fd: number;

  constructor(readonly file: string) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new UserError(`no file at ${file}`, 'not-found');
    }
    this.fd = fs.openSync(file, 'r');
    try {
      this.entries = readCentralDirectory(this.fd, stat.size, file);
    } catch (e) {
      fs.closeSync(this.fd);
      throw e;
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  read(name: string): Buffer {
    const e = this.entry(name);
    const start = this.dataStart(e);
    if (e.compressedSize > 1 << 30) throw new UserError(`${this.file}: ${name} is too large to read into memory`, 'bad-bundle');
    const raw = Buffer.alloc(e.compressedSize);
    const n = fs.readSync(this.fd, raw, 0, e.compressedSize, start);
    if (n !== e.compressedSize) throw new UserError(`${this.file} is truncated inside ${name}`, 'bad-bundle');
    let data: Buffer;
    if (e.method === 0) data = raw;
    else if (e.method === 8) {
      try {
        data = zlib.inflateRawSync(raw);
      } catch {
        throw new UserError(`${this.file} is damaged: cannot inflate ${name}`, 'bad-bundle');
      }
    } else throw new UserError(`${this.file}: ${name} uses unsupported zip compression ${e.method}`, 'bad-bundle');
    if (data.length !== e.size || zlib.crc32(data) !== e.crc) throw new UserError(`${this.file} is damaged: checksum mismatch in ${name}`, 'bad-bundle');
    return data;
  }

  /** Writes an entry to `dest`, stored entries in chunks (a photo or database of any size), CRC checked. */
  extractTo(name: string, dest: string): void {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const e = this.entry(name);
    if (e.method !== 0) {
      fs.writeFileSync(dest, this.read(name));
      return;
    }
    const start = this.dataStart(e);
    const tmp = `${dest}.${process.pid}.part`;
    const out = fs.openSync(tmp, 'w');
    let crc = 0;
    try {
      const buf = Buffer.alloc(Math.min(CHUNK, Math.max(1, e.size)));
      for (let done = 0; done < e.size; ) {
        const n = fs.readSync(this.fd, buf, 0, Math.min(buf.length, e.size - done), start + done);
        if (n === 0) throw new UserError(`${this.file} is truncated inside ${name}`, 'bad-bundle');
        const chunk = buf.subarray(0, n);
        crc = zlib.crc32(chunk, crc);
        fs.writeSync(out, chunk);
        done += n;
      }
    } catch (err) {
      fs.closeSync(out);
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    fs.closeSync(out);
    if (crc !== e.crc) {
      fs.rmSync(tmp, { force: true });
      throw new UserError(`${this.file} is damaged: checksum mismatch in ${name}`, 'bad-bundle');
    }
    fs.renameSync(tmp, dest);
  }

  private entry(name: string): ZipEntry {
    const e = this.entries.get(name);
    if (!e) throw new UserError(`${this.file} has no ${name}`, 'bad-bundle');
    return e;
  }

  private dataStart(e: ZipEntry): number {
    const head = Buffer.alloc(30);
    fs.readSync(this.fd, head, 0, 30, e.localOffset);
    if (head.readUInt32LE(0) !== LOC) throw new UserError(`${this.file} is damaged: bad local header for ${e.name}`, 'bad-bundle');
    return e.localOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

function readCentralDirectory(fd: number, size: number, file: string): Map<string, ZipEntry> {
  const notZip = () => new UserError(`${file} is not a complete zip archive (truncated, or not a bundle)`, 'bad-bundle');
  if (size < 22) throw notZip();
  const tailLen = Math.min(size, 22 + 0xffff);
  const tail = Buffer.alloc(tailLen);
  fs.readSync(fd, tail, 0, tailLen, size - tailLen);
  let at = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw notZip();
  let count = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  // Zip64: the real numbers live in the Zip64 end record, found through its locator.
  if (at >= 20 && tail.readUInt32LE(at - 20) === EOCD64_LOCATOR) {
    const rec = Number(tail.readBigUInt64LE(at - 12));
    const z = Buffer.alloc(56);
    if (rec + 56 > size || fs.readSync(fd, z, 0, 56, rec) !== 56 || z.readUInt32LE(0) !== EOCD64) throw notZip();
    count = Number(z.readBigUInt64LE(32));
    cdSize = Number(z.readBigUInt64LE(40));
    cdOffset = Number(z.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size) throw notZip();
  const cd = Buffer.alloc(cdSize);
  fs.readSync(fd, cd, 0, cdSize, cdOffset);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CEN) throw notZip();
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    const entry: ZipEntry = {
      name,
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
    };
    if (entry.size === MAX32 || entry.compressedSize === MAX32 || entry.localOffset === MAX32) {
      // Zip64 extra field (id 1): only the values marked 0xFFFFFFFF, in this order.
      let q = p + 46 + nameLen;
      const end = q + extraLen;
      while (q + 4 <= end) {
        const id = cd.readUInt16LE(q);
        const len = cd.readUInt16LE(q + 2);
        if (id === 0x0001) {
          let r = q + 4;
          if (entry.size === MAX32) (entry.size = Number(cd.readBigUInt64LE(r))), (r += 8);
          if (entry.compressedSize === MAX32) (entry.compressedSize = Number(cd.readBigUInt64LE(r))), (r += 8);
          if (entry.localOffset === MAX32) entry.localOffset = Number(cd.readBigUInt64LE(r));
          break;
        }
        q += 4 + len;
      }
    }
    if (entry.localOffset + entry.compressedSize > size) throw notZip();
    entries.set(name, entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
