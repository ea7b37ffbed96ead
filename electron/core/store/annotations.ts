import type { SqliteDb } from './sqlite';

/** Annotations: the boxed animal in a photo (box, side/body part, source: drawn, whole frame, proposed). */
export interface AnnotationStore {}

export function sqliteAnnotationStore(_db: SqliteDb): AnnotationStore {
  return {};
}
