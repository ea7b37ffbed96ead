import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultCatalogPath } from '../core/util/paths';
import { UserError } from '../core/util/errors';

type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string; valueName?: string };

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  /** --catalog, or the per-user default that the desktop app opens too. */
  catalog: string;
  json: boolean;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options?: Record<string, OptionSpec>;
  /** Returns the value printed as JSON with --json; `human` renders it otherwise. */
  run(args: ParsedArgs, io: CommandIO): Promise<unknown>;
  human?(result: any): string;
  /**
   * The exit status for a result that was printed: non-zero when the command did not do what was
   * asked (nothing exported, a path that could not be read), so scripts can tell. Default 0.
   */
  exitCode?(result: any, args: ParsedArgs): number;
  /** Why `exitCode` is non-zero, printed on stderr (the result on stdout stays parseable). */
  failureNote?(result: any): string;
}

export const commonOptions: Record<string, OptionSpec> = {
  catalog: { type: 'string', description: 'catalog file (default: the desktop app\'s catalog)', valueName: 'FILE' },
  json: { type: 'boolean', description: 'print machine-readable JSON on stdout' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export function parseCommandArgs(cmd: Command, argv: string[]): ParsedArgs | 'help' {
  const options = { ...commonOptions, ...(cmd.options ?? {}) };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(Object.entries(options).map(([k, { description: _d, valueName: _v, ...o }]) => [k, o])),
    });
  } catch (e) {
    throw new UserError(`${(e as Error).message}\n\n${commandHelp(cmd)}`, 'usage');
  }
  if (parsed.values.help) return 'help';
  return {
    positionals: parsed.positionals,
    values: parsed.values as ParsedArgs['values'],
    catalog: (parsed.values.catalog as string | undefined) ?? defaultCatalogPath(),
    json: Boolean(parsed.values.json),
  };
}

export function commandHelp(cmd: Command): string {
  const options = { ...(cmd.options ?? {}), ...commonOptions };
  const lines = Object.entries(options).map(([k, o]) => {
    const flag = `--${k}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}${o.short ? `, -${o.short}` : ''}`;
    return `  ${flag.padEnd(28)} ${o.description}`;
  });
  return `Usage: caudal ${cmd.usage}\n\n${cmd.summary}\n\nOptions:\n${lines.join('\n')}`;
}

/** A numeric option, with an error that names it. */
export function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new UserError(`--${name} must be a number, got '${String(v)}'`, 'usage');
  return n;
}
