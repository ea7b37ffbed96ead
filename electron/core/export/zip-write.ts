import fs from 'node:fs';
import { finished, pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { replaceAtomically } from '../util/atomic-write';

/**
 * Streams a zip to disk entry by entry through yazl, so a bundle of thousands of photos never
 * sits in memory; yazl switches to Zip64 where sizes or offsets need it (a field catalog's
 * originals easily pass 4 GiB) and refuses entry names that are absolute, climb out with `..`
 * or hold a backslash. Photos are stored as they are (already compressed); text is deflated.
 * The archive appears under its name only once `finish()` has written all of it: a crash or
 * `abort()` never leaves a truncated file where a person would pick it up.
 */
export class ZipFileWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly written: Promise<void>;

  constructor(readonly file: string) {
    // yazl reports a source that fails or changes size mid-read here; it ends the output too.
    this.zip.on('error', (e: Error) => this.fail(e));
    // The output may fail before the pipeline below is attached; the pipeline still sees it.
    this.zip.outputStream.on('error', () => undefined);
    this.written = replaceAtomically(file, async (tmp) => {
      const fh = await fs.promises.open(tmp, 'wx');
      await pipeline(this.zip.outputStream, fh.createWriteStream());
    });
    this.written.catch(() => undefined); // surfaced by addFile(), finish() and abort()
  }

  /** Streams a file into the archive, stored; `compress` deflates it (for text files). Resolves once it is written. */
  async addFile(name: string, src: string, compress = false): Promise<void> {
    const { size, mtime } = await fs.promises.stat(src);
    const input = fs.createReadStream(src);
    try {
      this.zip.addReadStream(input, name, { compress, size, mtime });
    } catch (e) {
      input.destroy();
      throw e;
    }
    // An output that failed stops pulling from `input`: wait for whichever comes first.
    await Promise.race([finished(input), this.written.then(() => Promise.reject(new Error(`${this.file} was closed before ${name} was written`)))]);
  }

  addBuffer(name: string, data: string | Uint8Array, compress = true): void {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.zip.addBuffer(buf, name, { compress });
  }

  /** Writes the central directory and puts the archive under its name. */
  async finish(): Promise<void> {
    this.zip.end();
    await this.written;
  }

  /** Leaves nothing behind (an export that failed or was cancelled half-way). */
  async abort(): Promise<void> {
    this.fail(new Error(`writing ${this.file} was abandoned`));
    await this.written.catch(() => undefined);
  }

  private fail(e: Error): void {
    const out = this.zip.outputStream as NodeJS.ReadableStream & { destroyed: boolean; destroy(e: Error): void };
    if (!out.destroyed) out.destroy(e);
  }
}
