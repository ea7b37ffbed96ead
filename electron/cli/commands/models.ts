import type { Command, ParsedArgs } from '../command';
import { Catalog } from '../../core/catalog/catalog';
import { activateModel, listModels, rollbackModel } from '../../core/training/model-store';
import { exportModel, importModel } from '../../core/training/model-onnx';
import { UserError } from '../../core/util/errors';
import '../../core/training/head-kind';

type Sub = (catalog: Catalog, args: ParsedArgs) => Promise<unknown> | unknown;

/** `caudal models <sub>`; other features add subcommands here (e.g. fetch). */
export const modelSubcommands: Record<string, Sub> = {
  list: (c) => listModels(c).map(({ params, ...m }) => ({ ...m, head: (params as { head?: unknown } | null)?.head ?? null })),
  activate: (c, a) => activateModel(c, need(a, 1, 'ID')),
  rollback: (c) => rollbackModel(c),
  export: async (c, a) => {
    const out = a.values.out as string | undefined;
    if (!out) throw new UserError('models export needs --out FILE.onnx', 'usage');
    return exportModel(c, need(a, 1, 'ID'), out);
  },
  import: (c, a) => importModel(c, need(a, 1, 'FILE')),
};

function need(a: ParsedArgs, i: number, what: string): string {
  const v = a.positionals[i];
  if (!v) throw new UserError(`models ${a.positionals[0]} needs ${what}`, 'usage');
  return v;
}

export const models: Command = {
  name: 'models',
  summary: 'List, activate, roll back, export (one ONNX file: backbone + head) and import embedding models.',
  usage: 'models list|activate ID|rollback|export ID --out FILE|import FILE [--catalog FILE] [--json]',
  options: {
    out: { type: 'string', description: 'output file for export', valueName: 'FILE' },
  },
  async run(args) {
    const sub = args.positionals[0];
    const fn = sub ? modelSubcommands[sub] : undefined;
    if (!fn) throw new UserError(`models needs one of: ${Object.keys(modelSubcommands).join(', ')}`, 'usage');
    const catalog = Catalog.open(args.catalog);
    try {
      return await fn(catalog, args);
    } finally {
      catalog.close();
    }
  },
};
