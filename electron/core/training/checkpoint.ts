import fs from 'node:fs';
import { writeFileAtomicallySync } from '../util/atomic-write';
import type { TrainerState } from './trainer';

type Typed = Float32Array | Int32Array | Uint32Array;
const arrayKeys = ['W', 'b', 'mu', 'scale', 'mW', 'vW', 'mb', 'vb', 'betas', 'mBeta', 'vBeta', 'steps', 'rng', 'learnerOf'] as const;
const ctors = { f32: Float32Array, i32: Int32Array, u32: Uint32Array } as const;
const tag = (a: Typed) => (a instanceof Float32Array ? 'f32' : a instanceof Int32Array ? 'i32' : 'u32');

/**
 * A trainer state as bytes: a JSON header (scalars, array layout, caller's extra) then the raw
 * little-endian arrays. Megabytes, written once per epoch: JSON of the floats would be too slow.
 */
export function encodeState(state: TrainerState, extra: unknown = null): Buffer {
  const layout = arrayKeys.map((k) => [k, tag(state[k]), state[k].length] as const);
  const header = Buffer.from(JSON.stringify({ epoch: state.epoch, layout, extra }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const pad = Buffer.alloc((4 - ((4 + header.length) % 4)) % 4);
  return Buffer.concat([len, header, pad, ...arrayKeys.map((k) => Buffer.from(state[k].buffer, state[k].byteOffset, state[k].byteLength))]);
}

export function decodeState(buf: Buffer): { state: TrainerState; extra: unknown } {
  const hl = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + hl).toString('utf8'));
  let off = 4 + hl;
  off += (4 - (off % 4)) % 4;
  const state: Record<string, unknown> = { epoch: header.epoch };
  for (const [k, t, n] of header.layout as Array<[string, keyof typeof ctors, number]>) {
    const a = new ctors[t](n);
    new Uint8Array(a.buffer).set(buf.subarray(off, off + n * 4));
    state[k] = a;
    off += n * 4;
  }
  return { state: state as unknown as TrainerState, extra: header.extra };
}

/** Written beside, then renamed over: a crash mid-write leaves the previous checkpoint intact. */
export function writeCheckpoint(file: string, state: TrainerState, extra: unknown): void {
  // A fixed temporary name: train-job clears a killed run's `<checkpoint>.tmp` by it.
  writeFileAtomicallySync(file, encodeState(state, extra), { tmp: `${file}.tmp` });
}

/** The epoch and the caller's extra of a checkpoint, without reading its arrays (megabytes). */
export function peekCheckpoint(file: string): { epoch: number; extra: unknown } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const len = Buffer.alloc(4);
    if (fs.readSync(fd, len, 0, 4, 0) !== 4) return null;
    const header = Buffer.alloc(len.readUInt32LE(0));
    if (fs.readSync(fd, header, 0, header.length, 4) !== header.length) return null;
    const h = JSON.parse(header.toString('utf8'));
    return { epoch: h.epoch, extra: h.extra };
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

export function readCheckpoint(file: string): { state: TrainerState; extra: unknown } | null {
  if (!fs.existsSync(file)) return null;
  return decodeState(fs.readFileSync(file));
}
