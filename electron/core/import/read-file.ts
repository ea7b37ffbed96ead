import crypto from 'node:crypto';
import fs from 'node:fs';

/** Files up to this size are read once into memory: hashed, decoded, parsed and copied from the same bytes. */
const IN_MEMORY_LIMIT = 256 * 1024 * 1024;

export interface PhotoBytes {
  file: string;
  size: number;
  sha256: string;
  /** The bytes, or the path for files too big to hold (sharp and exifr read either). */
  input: Buffer | string;
}

/** Reads a file and its sha256, the photo's identity: the same bytes from any path are the same photo. */
export async function readPhotoBytes(file: string): Promise<PhotoBytes> {
  const st = await fs.promises.stat(file);
  if (!st.isFile()) throw new Error('not a regular file');
  if (st.size === 0) throw new Error('empty file (0 bytes)');
  if (st.size <= IN_MEMORY_LIMIT) {
    const buf = await fs.promises.readFile(file);
    return { file, size: buf.length, sha256: crypto.createHash('sha256').update(buf).digest('hex'), input: buf };
  }
  const hash = crypto.createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { file, size, sha256: hash.digest('hex'), input: file };
}
