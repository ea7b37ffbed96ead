import fs from 'node:fs';
import path from 'node:path';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

const CHUNK = 1 << 20;

/**
 * Streams a zip to disk entry by entry, so a bundle of many photos never sits in memory. It is
 * written to `<file>.partial` and renamed only by `finish()`: a crash leaves no truncated file
 * under the name a person would pick up. No Zip64, so archives stay under 4 GiB.
 */
export class ZipFileWriter {
  private fd: number;
  private zip: Zip;
  private error: Error | null = null;
  private readonly partial: string;
  private written = 0;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.partial = `${file}.partial`;
    this.fd = fs.openSync(this.partial, 'w');
    this.zip = new Zip((err, chunk) => {
      if (err) {
        this.error = err;
        return;
      }
      fs.writeSync(this.fd, chunk);
      this.written += chunk.length;
    });
  }

  get bytesWritten(): number {
    return this.written;
  }

  /** Already-compressed media (JPEG, PNG) is stored; text and the database are deflated. */
  addFile(name: string, src: string, compress = false): void {
    const entry = this.entry(name, compress);
    const fd = fs.openSync(src, 'r');
    try {
      const buf = Buffer.alloc(CHUNK);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, CHUNK, null);
        if (n === 0) break;
        entry.push(new Uint8Array(buf.subarray(0, n)));
      }
      entry.push(new Uint8Array(0), true);
    } finally {
      fs.closeSync(fd);
    }
    this.check();
  }

  addBuffer(name: string, data: string | Uint8Array, compress = true): void {
    const entry = this.entry(name, compress);
    entry.push(typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'utf8')) : data, true);
    this.check();
  }

  finish(): void {
    this.zip.end();
    this.check();
    fs.closeSync(this.fd);
    fs.renameSync(this.partial, this.file);
  }

  /** Leaves nothing behind (an export that failed half-way). */
  abort(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    fs.rmSync(this.partial, { force: true });
  }

  private entry(name: string, compress: boolean): ZipDeflate | ZipPassThrough {
    const e = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
    this.zip.add(e);
    return e;
  }

  private check(): void {
    if (this.error) throw this.error;
  }
}
