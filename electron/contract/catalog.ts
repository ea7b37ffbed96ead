import type { NameSet, RequestSpec } from './define';

export interface CatalogSummary {
  file: string;
  schemaVersion: number;
  individuals: number;
  photos: number;
  annotations: number;
  identified: number;
  embeddings: number;
  encounters: number;
  activeModel: string | null;
  /** The catalog's species and body part ('' until someone says: nothing is guessed). */
  species: string;
  bodyPart: string;
}

export type SettingValue = string | number | boolean | null | SettingValue[] | { [k: string]: SettingValue };

export interface CatalogRequests {
  'catalog.summary': RequestSpec<Record<string, never>, CatalogSummary>;
  'settings.get': RequestSpec<Record<string, never>, Record<string, SettingValue>>;
  'settings.set': RequestSpec<{ key: string; value: SettingValue }, Record<string, SettingValue>>;
}

export const catalogRequestNames = {
  'catalog.summary': true,
  'settings.get': true,
  'settings.set': true,
} as const satisfies NameSet<CatalogRequests>;
