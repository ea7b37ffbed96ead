import { runCli } from '../../electron/cli/main';

/** Runs `caudal ARGV...` in this process and collects what it printed. */
export async function runCaudal(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
}
