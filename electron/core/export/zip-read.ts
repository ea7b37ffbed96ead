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
    const e = this.entries.get(name);
    if (!e) throw new UserError(`${this.file} has no ${name}`, 'bad-bundle');
    const head = Buffer.alloc(30);
    fs.readSync(this.fd, head, 0, 30, e.localOffset);
    if (head.readUInt32LE(0) !== LOC) throw new UserError(`${this.file} is damaged: bad local header for ${name}`, 'bad-bundle');
    const start = e.localOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
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

  extractTo(name: string, dest: string): void {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, this.read(name));
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
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
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
    if (entry.localOffset + entry.compressedSize > size) throw notZip();
    entries.set(name, entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
