import fs from 'node:fs';
import path from 'node:path';
import type { CatalogTopic, PhotosRequests } from '../../contract';
import { getEncounter, listEncounters, mergeEncounters, movePhotos, updateEncounter, updateEncounters } from '../encounters/edit';
import { acceptAnnotation, createAnnotation, deleteAnnotation, updateAnnotation } from '../photos/annotations';
import { checkMissing } from '../photos/missing';
import { getPhoto, listPhotos } from '../photos/queries';
import { UserError } from '../util/errors';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';
import { trimmed as trim, validateJobParams } from './validate-request';

export function photosHandlers(b: BackendCore): HandlerGroup<keyof PhotosRequests> {
  const changed = (...topics: CatalogTopic[]) => b.changed(...topics);
  return {
    'import.start': (p) => {
      // Paths typed into the app trimmed, the import job's schema (at least one), then the files: a mistyped folder, the commonest import error, is said before a job exists.
      const { paths, labels, copy } = validateJobParams('import', { ...p, paths: Array.isArray(p.paths) ? p.paths.map(trim) : p.paths, labels: trim(p.labels) || undefined });
      const absent = [...paths, ...(labels ? [labels] : [])].filter((f) => !fs.existsSync(path.resolve(f)));
      if (absent.length) throw new UserError(`no such file or folder: ${absent.join(', ')}`, 'not-found');
      return b.jobs.start('import', { paths, ...(labels ? { labels } : {}), copy: Boolean(copy) });
    },
    'photos.list': (q) => listPhotos(b.catalog, q),
    'photos.get': ({ id }) => getPhoto(b.catalog, id),
    'photos.checkMissing': () => {
      const r = checkMissing(b.catalog);
      changed('photos');
      return r;
    },
    'annotations.create': (p) => {
      const a = createAnnotation(b.catalog, p);
      changed('annotations', 'photos');
      return a;
    },
    'annotations.update': (p) => {
      const a = updateAnnotation(b.catalog, p);
      changed('annotations', 'photos');
      return a;
    },
    'annotations.accept': ({ id }) => {
      const a = acceptAnnotation(b.catalog, id);
      changed('annotations', 'photos');
      return a;
    },
    'annotations.delete': ({ id }) => {
      const r = deleteAnnotation(b.catalog, id);
      changed('annotations', 'photos');
      return r;
    },
    'encounters.list': (q) => listEncounters(b.catalog, q),
    'encounters.get': ({ id }) => getEncounter(b.catalog, id),
    'encounters.update': ({ id, patch }) => {
      const e = updateEncounter(b.catalog, id, patch);
      changed('encounters', 'sightings');
      return e;
    },
    'encounters.updateMany': ({ ids, patch }) => {
      const e = updateEncounters(b.catalog, ids, patch);
      changed('encounters', 'sightings');
      return e;
    },
    'encounters.merge': ({ targetId, sourceIds }) => {
      const e = mergeEncounters(b.catalog, targetId, sourceIds);
      changed('encounters', 'photos', 'sightings');
      return e;
    },
    'encounters.movePhotos': ({ photoIds, encounterId }) => {
      const e = movePhotos(b.catalog, photoIds, encounterId ?? null);
      changed('encounters', 'photos', 'sightings');
      return e;
    },
  };
}
