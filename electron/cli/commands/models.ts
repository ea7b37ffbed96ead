import type { ModelInfo } from '../../contract';
import type { Command, ParsedArgs } from '../command';
import { Catalog } from '../../core/store/catalog';
import { activateModel, listModels, rollbackModel } from '../../core/training/model-store';
import { exportModel, importModel } from '../../core/training/model-onnx';
import { UserError } from '../../core/util/errors';
import '../../core/vision/sliced-linear-head';

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

type Listed = Pick<ModelInfo, 'id' | 'name' | 'kind' | 'createdAt' | 'active' | 'heldOut'>;

/** A plain-text table: columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const rank1 = (m: Listed, k: 'unseen' | 'resight') => (m.heldOut ? m.heldOut.metrics[k].rank1.toFixed(3) : '-');

/** `models list` for people: one row per model, the active one starred; `--json` keeps every field. */
function modelsTable(list: Listed[]): string {
  if (!list.length) return 'no models yet: `caudal embed` adds the pretrained one';
  return table(
    ['', 'ID', 'KIND', 'CREATED', 'UNSEEN R1', 'RESIGHT R1', 'NAME'],
    list.map((m) => [m.active ? '*' : '', m.id, m.kind, m.createdAt.slice(0, 16).replace('T', ' '), rank1(m, 'unseen'), rank1(m, 'resight'), m.name]),
  );
}

export const models: Command = {
  name: 'models',
  summary: 'List, activate, roll back, export (one ONNX file: backbone + head) and import embedding models.',
  usage: 'models list|activate ID|rollback|export ID --out FILE|import FILE [--catalog FILE] [--json]',
  options: {
    out: { type: 'string', description: 'output file for export', valueName: 'FILE' },
  },
  human: (r: unknown) => (Array.isArray(r) ? `${modelsTable(r as Listed[])}\n(* active; R1: held-out rank-1 on unseen individuals and later sightings)` : JSON.stringify(r, null, 2)),
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
