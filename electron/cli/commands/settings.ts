import type { SettingValue } from '../../contract';
import type { Command } from '../command';
import { Catalog } from '../../core/store/catalog';
import { allSettings, setSetting, settingDefaults, type SettingKey } from '../../core/catalog/settings';
import { UserError } from '../../core/util/errors';

/** A typed value for `--set key=value`, read as the setting's own type (number, true/false, text). */
function parseValue(key: string, text: string): SettingValue {
  if (!(key in settingDefaults)) throw new UserError(`unknown setting '${key}' (one of ${Object.keys(settingDefaults).join(', ')})`, 'usage');
  const kind = typeof settingDefaults[key as SettingKey];
  if (kind === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new UserError(`setting '${key}' must be a number, got '${text}'`, 'usage');
    return n;
  }
  if (kind === 'boolean') {
    if (!['true', 'false'].includes(text)) throw new UserError(`setting '${key}' must be true or false, got '${text}'`, 'usage');
    return text === 'true';
  }
  return text;
}

/** Apply `--species`, `--body-part` and `--set` options to a catalog; shared with `caudal import`. */
export function applySettingOptions(catalog: Catalog, values: Record<string, unknown>): void {
  if (typeof values.species === 'string') setSetting(catalog, 'species', values.species);
  if (typeof values['body-part'] === 'string') setSetting(catalog, 'bodyPart', values['body-part']);
  for (const pair of (values.set as string[] | undefined) ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UserError(`--set wants KEY=VALUE, got '${pair}'`, 'usage');
    const key = pair.slice(0, eq);
    setSetting(catalog, key, parseValue(key, pair.slice(eq + 1)));
  }
}

export const speciesOptions = {
  species: { type: 'string', description: "the catalog's species, as a scientific name (e.g. 'Tragelaphus angasii'); written to exports", valueName: 'NAME' },
  'body-part': { type: 'string', description: 'the body part the photos show (fluke, dorsal, flank, head, whole); given to photos that have none', valueName: 'PART' },
} as const;

export const settingsCommand: Command = {
  name: 'settings',
  summary: "Show or change the catalog's settings: its species and body part, reviewer, licence, encounter grouping...",
  usage: "settings [--species NAME] [--body-part PART] [--set KEY=VALUE]... [--catalog FILE] [--json]",
  options: {
    ...speciesOptions,
    set: { type: 'string', multiple: true, description: 'change any setting (repeatable), e.g. --set reviewer="A. Person"', valueName: 'KEY=VALUE' },
  },
  async run(args) {
    const catalog = Catalog.open(args.catalog);
    try {
      applySettingOptions(catalog, args.values);
      return allSettings(catalog);
    } finally {
      catalog.close();
    }
  },
  human: (s: Record<string, SettingValue>) => {
    const width = Math.max(...Object.keys(s).map((k) => k.length));
    return Object.entries(s)
      .map(([k, v]) => `${k.padEnd(width + 2)}${v === '' ? '(not set)' : typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('\n');
  },
};
