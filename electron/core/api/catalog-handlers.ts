import type { CatalogRequests } from '../../contract';
import { catalogSummary } from '../catalog/summary';
import { allSettings, setSetting } from '../catalog/settings';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';

export function catalogHandlers(b: BackendCore): HandlerGroup<keyof CatalogRequests> {
  return {
    'catalog.summary': () => catalogSummary(b.catalog),
    'settings.get': () => allSettings(b.catalog),
    'settings.set': ({ key, value }) => {
      setSetting(b.catalog, key, value);
      // A body part given late is written to the photos that had none (see setSetting).
      b.emit('catalog.changed', { topics: key === 'bodyPart' ? ['settings', 'photos', 'annotations', 'review', 'match'] : ['settings'] });
      return allSettings(b.catalog);
    },
  };
}
