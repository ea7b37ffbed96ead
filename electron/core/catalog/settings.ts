import type { SettingValue } from '../../contract';
import type { Catalog } from './catalog';
import { UserError } from '../util/errors';

/**
 * Catalog settings with their defaults. Stored per catalog (not per laptop) because they
 * describe the catalog's data: species and licence travel with it to GBIF and to a colleague.
 */
export const settingDefaults = {
  reviewer: '',
  species: 'Megaptera novaeangliae',
  bodyPart: 'fluke',
  licence: 'CC-BY-4.0',
  /** WoRMS LSID of `species` (e.g. urn:lsid:marinespecies.org:taxname:137092), which OBIS asks for. */
  scientificNameID: '',
  institution: '',
  datasetTitle: 'Caudal photo-identification catalog',
  codePrefix: 'ID-',
  encounterGapMinutes: 30,
  encounterMaxKm: 5,
  copyOnImport: false,
  device: 'auto',
  /** Body parts (comma-separated) whose embedding averages the crop and its mirror image. */
  flipAverage: 'flank',
  queueOrder: 'encounter',
  /**
   * At import, replace an unidentified photo's whole-frame box by a proposed box around the
   * animal (vision/propose-annotations.ts). Off by default: on seals-dev the proposed crop did
   * not match better than the whole frame with the pretrained backbone (bench/README.md, boxes).
   */
  proposeBoxes: false,
} satisfies Record<string, SettingValue>;

export type SettingKey = keyof typeof settingDefaults;

export function allSettings(catalog: Catalog): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = { ...settingDefaults };
  for (const row of catalog.db.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>) {
    out[row.key] = JSON.parse(row.value);
  }
  return out;
}

export function setSetting(catalog: Catalog, key: string, value: SettingValue): void {
  if (!(key in settingDefaults)) throw new UserError(`unknown setting '${key}'`, 'bad-request');
  const expected = typeof settingDefaults[key as SettingKey];
  if (typeof value !== expected) throw new UserError(`setting '${key}' must be a ${expected}`, 'bad-request');
  catalog.setSetting(key, value);
}

export function getSetting<K extends SettingKey>(catalog: Catalog, key: K): (typeof settingDefaults)[K] {
  return catalog.getSetting(key, settingDefaults[key]);
}
