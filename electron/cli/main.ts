import { commands } from './commands/index';
import { commandHelp, parseCommandArgs, type CommandIO } from './command';
import { mapError } from '../core/util/error-map';
import { logFile } from '../core/util/log';

const stdio: CommandIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Caudal: offline photo-identification of individual whales.',
    '',
    'Usage: caudal <command> [options]   (caudal <command> --help for its options)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width + 2)}${c.summary}`),
    '',
    `Log file: ${logFile()} (set CAUDAL_LOG_DIR to move it)`,
  ].join('\n');
}

/** Runs one CLI invocation; returns the exit code. Exported for tests, which call it in-process. */
export async function runCli(argv: string[], io: CommandIO = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(topHelp());
    return name ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.err(`caudal: unknown command '${name}'\n\n${topHelp()}`);
    return 2;
  }
  try {
    const args = parseCommandArgs(cmd, rest);
    if (args === 'help') {
      io.out(commandHelp(cmd));
      return 0;
    }
    const result = await cmd.run(args, io);
    if (result === undefined) return 0;
    if (args.json) io.out(JSON.stringify(result));
    else io.out(cmd.human ? cmd.human(result) : JSON.stringify(result, null, 2));
    const code = cmd.exitCode?.(result, args) ?? 0;
    if (code !== 0 && cmd.failureNote) io.err(`caudal ${name}: ${cmd.failureNote(result)}`);
    return code;
  } catch (caught) {
    const m = mapError(caught, `caudal ${name}`);
    if (m.user) io.err(`caudal ${name}: ${m.reply.message}`);
    else io.err(`caudal ${name}: ${(caught as Error).stack ?? String(caught)}\n(logged in ${logFile()})`);
    return m.exitCode;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`caudal: ${(e as Error).stack}\n`);
      process.exitCode = 1;
    },
  );
}
