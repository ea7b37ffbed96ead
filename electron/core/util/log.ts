import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { userDataDir } from './paths';

/** Rotation: the file is moved to `.1` (and `.1` to `.2`) once it passes this size; three files at most. */
const MAX_BYTES = 5 * 1024 * 1024;
const KEEP = 2;

/**
 * The log's folder: `logs` in the user data folder the desktop app and the CLI share (see
 * userDataDir: ~/.config/Caudal on Linux), so the app, `caudal serve` and every command write
 * one log; CAUDAL_LOG_DIR moves it.
 */
export function logDir(): string {
  return process.env.CAUDAL_LOG_DIR || path.join(userDataDir(), 'logs');
}

export const logFile = (): string => path.join(logDir(), 'caudal.log');

/**
 * A file that rotates by size. Written synchronously (a log line must survive the crash it
 * describes); several threads or processes may append to it, so the size is read from the file
 * itself and a thread whose file was rotated by another reopens the new one.
 */
export function rotatingFile(file: string, maxBytes = MAX_BYTES, keep = KEEP): { write(line: string): void } {
  let fd = -1;
  let ino = -1;
  const open = () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fd = fs.openSync(file, 'a');
    ino = fs.fstatSync(fd).ino;
  };
  return {
    write(line) {
      try {
        const st = fs.existsSync(file) ? fs.statSync(file) : null;
        if (fd < 0 || !st || st.ino !== ino) {
          if (fd >= 0) fs.closeSync(fd);
          open();
        } else if (st.size + Buffer.byteLength(line) > maxBytes) {
          fs.closeSync(fd);
          for (let i = keep; i >= 1; i--) {
            const from = i === 1 ? file : `${file}.${i - 1}`;
            if (fs.existsSync(from)) fs.renameSync(from, `${file}.${i}`);
          }
          open();
        }
        fs.writeSync(fd, line);
      } catch {
        // Logging must never break the work it records (a read-only home, a full disk).
      }
    },
  };
}

let logger: pino.Logger | undefined;

/**
 * The structured log (JSON lines): job failures with their stacks, internal errors of requests,
 * commands that failed. Keys that could hold a secret are censored wherever they appear.
 */
export function log(): pino.Logger {
  logger ??= pino(
    {
      base: { pid: process.pid },
      redact: { paths: ['password', 'token', 'secret', '*.password', '*.token', '*.secret', 'params.password', 'params.token'], censor: '[redacted]' },
    },
    rotatingFile(logFile()),
  );
  return logger;
}
