import type { JobInfo } from '../contract';
import type { CommandIO } from './command';

/** Seconds between progress lines within one stage: often enough to show life, rarely enough for a log file. */
export const PROGRESS_EVERY_MS = 3000;

/**
 * A job's progress on stderr (stdout stays for the result, JSON or not): a line when a stage
 * starts (its message changes), then at most one every few seconds, and the last count. Plain
 * lines, never carriage returns, so piped output (`| tee log`) shows the same as a terminal.
 */
export function progressLines(
  io: CommandIO,
  label: string,
  opts: { everyMs?: number; /** false when the message names the item (an import's file), not a stage */ stages?: boolean } = {},
): (info: JobInfo) => void {
  const everyMs = opts.everyMs ?? PROGRESS_EVERY_MS;
  const stages = opts.stages ?? true;
  let stage: string | null | undefined;
  let lastAt = 0;
  let lastLine = '';
  return (info) => {
    if (info.state !== 'running') return;
    const now = Date.now();
    const finished = info.total !== null && info.total > 0 && info.progress >= info.total;
    const newStage = stages && info.message !== stage && info.message !== null;
    if (!newStage && !finished && now - lastAt < everyMs) return;
    if (info.message !== null) stage = info.message;
    const count = info.total ? `${info.progress}/${info.total} (${Math.floor((100 * info.progress) / info.total)}%)` : `${info.progress}`;
    const line = `${label}: ${count}${stage ? ` ${stage}` : ''}`;
    if (line === lastLine) return;
    lastLine = line;
    lastAt = now;
    io.err(line);
  };
}
