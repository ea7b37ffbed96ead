import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const CHUNK = 1 << 20;
const MAX32 = 0xffffffff;

interface Written {
  name: Buffer;
  method: number;
  crc: number;
  size: number;
  csize: number;
  offset: number;
  time: number;
  date: number;
}

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** The Zip64 extended-information extra field: sizes and offset as 64-bit numbers. */
function zip64Extra(size: number, csize: number, offset?: number): Buffer {
  const b = Buffer.alloc(offset === undefined ? 20 : 28);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(b.length - 4, 2);
  b.writeBigUInt64LE(BigInt(size), 4);
  b.writeBigUInt64LE(BigInt(csize), 12);
  if (offset !== undefined) b.writeBigUInt64LE(BigInt(offset), 20);
  return b;
}

/**
 * Streams a zip to disk entry by entry, so a bundle of thousands of photos never sits in memory.
 * Every entry carries Zip64 sizes (fflate, used elsewhere for small archives, cannot write
 * Zip64, and a field catalog's originals easily pass 4 GiB). Photos are stored as they are
 * (already compressed); text is deflated. The file is written to `<file>.partial` and renamed by
 * `finish()`: a crash never leaves a truncated file under the name a person would pick up.
 */
export class ZipFileWriter {
  private fd: number;
  private pos = 0;
  private entries: Written[] = [];
  private readonly partial: string;
  private readonly stamp = dosTime(new Date());

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.partial = `${file}.partial`;
    this.fd = fs.openSync(this.partial, 'w');
  }

  get bytesWritten(): number {
    return this.pos;
  }

  /** Copies a file into the archive in chunks, stored; `compress` deflates it (for text files). */
  addFile(name: string, src: string, compress = false): void {
    if (compress) {
      this.addBuffer(name, fs.readFileSync(src), true);
      return;
    }
    const header = this.localHeader(name, 0);
    const fd = fs.openSync(src, 'r');
    let crc = 0;
    let size = 0;
    try {
      const buf = Buffer.alloc(CHUNK);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, CHUNK, null);
        if (n === 0) break;
        const chunk = buf.subarray(0, n);
        crc = zlib.crc32(chunk, crc);
        this.write(chunk);
        size += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    this.patch(header, crc, size, size);
  }

  addBuffer(name: string, data: string | Uint8Array, compress = true): void {
    const raw = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const body = compress ? zlib.deflateRawSync(raw, { level: 6 }) : raw;
    const header = this.localHeader(name, compress ? 8 : 0);
    this.write(body);
    this.patch(header, zlib.crc32(raw), raw.length, body.length);
  }

  finish(): void {
    const cdStart = this.pos;
    for (const e of this.entries) {
      const extra = zip64Extra(e.size, e.csize, e.offset);
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(45, 4); // made by: zip 4.5 (Zip64)
      h.writeUInt16LE(45, 6);
      h.writeUInt16LE(0x0800, 8); // UTF-8 names
      h.writeUInt16LE(e.method, 10);
      h.writeUInt16LE(e.time, 12);
      h.writeUInt16LE(e.date, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(MAX32, 20);
      h.writeUInt32LE(MAX32, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt16LE(extra.length, 30);
      h.writeUInt32LE(MAX32, 42);
      this.write(Buffer.concat([h, e.name, extra]));
    }
    const cdSize = this.pos - cdStart;
    const eocd64At = this.pos;
    const z = Buffer.alloc(56 + 20 + 22);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(45, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(this.entries.length), 24);
    z.writeBigUInt64LE(BigInt(this.entries.length), 32);
    z.writeBigUInt64LE(BigInt(cdSize), 40);
    z.writeBigUInt64LE(BigInt(cdStart), 48);
    z.writeUInt32LE(0x07064b50, 56);
    z.writeBigUInt64LE(BigInt(eocd64At), 64);
    z.writeUInt32LE(1, 72);
    z.writeUInt32LE(0x06054b50, 76);
    z.writeUInt16LE(Math.min(this.entries.length, 0xffff), 84);
    z.writeUInt16LE(Math.min(this.entries.length, 0xffff), 86);
    z.writeUInt32LE(Math.min(cdSize, MAX32), 88);
    z.writeUInt32LE(Math.min(cdStart, MAX32), 92);
    this.write(z);
    fs.closeSync(this.fd);
    fs.renameSync(this.partial, this.file);
  }

  /** Leaves nothing behind (an export that failed or was cancelled half-way). */
  abort(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    fs.rmSync(this.partial, { force: true });
  }

  private write(b: Buffer): void {
    let off = 0;
    while (off < b.length) off += fs.writeSync(this.fd, b, off, b.length - off, this.pos + off);
    this.pos += b.length;
  }

  /** A local header with placeholder CRC and sizes, patched in place once the data is written. */
  private localHeader(name: string, method: number): Written {
    if (!name || name.startsWith('/') || name.split('/').includes('..')) throw new Error(`bad zip entry name ${name}`);
    const e: Written = { name: Buffer.from(name, 'utf8'), method, crc: 0, size: 0, csize: 0, offset: this.pos, ...this.stamp };
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(45, 4);
    h.writeUInt16LE(0x0800, 6);
    h.writeUInt16LE(method, 8);
    h.writeUInt16LE(e.time, 10);
    h.writeUInt16LE(e.date, 12);
    h.writeUInt32LE(MAX32, 18);
    h.writeUInt32LE(MAX32, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(20, 28);
    this.write(Buffer.concat([h, e.name, zip64Extra(0, 0)]));
    this.entries.push(e);
    return e;
  }

  private patch(e: Written, crc: number, size: number, csize: number): void {
    e.crc = crc;
    e.size = size;
    e.csize = csize;
    const c = Buffer.alloc(4);
    c.writeUInt32LE(crc >>> 0, 0);
    fs.writeSync(this.fd, c, 0, 4, e.offset + 14);
    fs.writeSync(this.fd, zip64Extra(size, csize), 0, 20, e.offset + 30 + e.name.length);
  }
}
