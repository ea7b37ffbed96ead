import type { SettingValue } from '../../contract';
import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';

/**
 * Catalog settings with their defaults. Stored per catalog (not per laptop) because they
 * describe the catalog's data: species and licence travel with it to GBIF and to a colleague.
 */
export const settingDefaults = {
  reviewer: '',
  /**
   * The catalog's own species (scientific name) and the body part its photos show. Empty until
   * asked (first import, `caudal settings`): a guess would write a humpback's name and "fluke"
   * into an antelope's exports.
   */
  species: '',
  bodyPart: '',
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
  /** Start embedding the new photos as soon as an import in the app finishes. */
  embedAfterImport: true,
} satisfies Record<string, SettingValue>;

export type SettingKey = keyof typeof settingDefaults;

export function allSettings(catalog: Catalog): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = { ...settingDefaults };
  return { ...out, ...(catalog.store.settings.all() as Record<string, SettingValue>) };
}

export function setSetting(catalog: Catalog, key: string, value: SettingValue): void {
  if (!(key in settingDefaults)) throw new UserError(`unknown setting '${key}'`, 'bad-request');
  const expected = typeof settingDefaults[key as SettingKey];
  if (typeof value !== expected) throw new UserError(`setting '${key}' must be a ${expected}`, 'bad-request');
  if (key === 'species' || key === 'bodyPart') value = String(value).trim().replace(/\s+/g, ' ');
  if (key === 'bodyPart') value = String(value).toLowerCase();
  const store = catalog.store;
  store.transaction(() => {
    store.settings.set(key, value);
    // Photos imported before the body part was given get it now, so matching compares like with like.
    if (key === 'bodyPart' && value) store.annotations.giveBodyPartWhereMissing(String(value));
  });
}

export function getSetting<K extends SettingKey>(catalog: Catalog, key: K): (typeof settingDefaults)[K] {
  return catalog.store.settings.get(key, settingDefaults[key]);
}
