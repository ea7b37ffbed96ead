import fs from 'node:fs';
import path from 'node:path';

/**
 * Every file Caudal writes whole goes through here: it is made under a temporary name beside
 * `dest` and renamed into place, so a kill leaves either no file or a whole one (the old one,
 * or the new), never half of one. The temporary name is unique per call (two imports may
 * render the same photo at once) unless the caller names it (`tmp`), for files whose leftovers
 * a later run looks for by name.
 */
export interface AtomicOptions {
  /** A fixed temporary path instead of a unique one. */
  tmp?: string;
}

let seq = 0;
const tmpBeside = (dest: string, opts: AtomicOptions): string => opts.tmp ?? `${dest}.${process.pid}.${(seq = (seq + 1) % 1e9)}.tmp`;

/** `produce` writes the file at the path it is given; the result is renamed to `dest` once it returns. */
export async function replaceAtomically<T>(dest: string, produce: (tmp: string) => Promise<T>, opts: AtomicOptions = {}): Promise<T> {
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const tmp = tmpBeside(dest, opts);
  try {
    const out = await produce(tmp);
    await fs.promises.rename(tmp, dest);
    return out;
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export function replaceAtomicallySync<T>(dest: string, produce: (tmp: string) => T, opts: AtomicOptions = {}): T {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = tmpBeside(dest, opts);
  try {
    const out = produce(tmp);
    fs.renameSync(tmp, dest);
    return out;
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Puts a file at `dest`, copied from a path (`input` a string) or written from bytes. */
export async function writeAtomically(dest: string, input: Buffer | string): Promise<void> {
  await replaceAtomically(dest, (tmp) => (typeof input === 'string' ? fs.promises.copyFile(input, tmp) : fs.promises.writeFile(tmp, input)));
}

/** Writes `data` (text is UTF-8) to `dest`. */
export function writeFileAtomicallySync(dest: string, data: string | Uint8Array, opts: AtomicOptions = {}): void {
  replaceAtomicallySync(dest, (tmp) => fs.writeFileSync(tmp, data), opts);
}
