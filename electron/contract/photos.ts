import type { NameSet, RequestSpec } from './define';
import type { JobInfoOf, TruncatedList } from './jobs';

/** What an import is asked to do. `paths` are files or folders (searched recursively). */
export interface ImportParams {
  paths: string[];
  /** A labels CSV: `image,individual[,side][,sighting][,x,y,w,h]` or Kaggle's `Image,Id`. */
  labels?: string;
  /** Copy originals into the catalog's media folder (for when the card goes back into the camera). */
  copy?: boolean;
}

export interface ImportFailure {
  file: string;
  error: string;
  /** Set for a bad row of the labels CSV (its line); such a failure is about a label, not a photo. */
  labelRow?: number;
}

/** The outcome of one import (the `caudal import --json` object, plus detail the UI shows). */
export interface ImportReport {
  importId: number;
  /** Photos this import added (over all its runs, when it was resumed). */
  imported: number;
  /** Files whose bytes were already in the catalog (including moved files, re-linked). */
  duplicates: number;
  /** Already-known photos whose file had moved: their path was updated. */
  relinked: number;
  /** Files that could not be imported, files that are not photos, and bad label rows (those carry `labelRow`). */
  failed: ImportFailure[];
  withTime: number;
  withGps: number;
  /** Encounters holding this import's photos. */
  encounters: number;
  /**
   * What the labels CSV did, photos new or already in the catalog alike: `identified` counts the
   * identities it applied (a re-import that labels known photos says so here, not as imports).
   */
  labels: { rows: number; identified: number; individualsCreated: number } | null;
  /** Photos that labels rows reached outside the given folders (and the CSV's): imported, and named here. */
  outside: string[];
  /** Set by the job runner when `failed` (or `outside`) was cut to its first entries. */
  truncated?: Record<string, TruncatedList>;
  /** Whole-frame photos of this import given a proposed box around the animal (setting `proposeBoxes`). */
  proposed: number;
  /** Why no box could be proposed (no proposer for the backbone, weights not found), or null. */
  proposalsUnavailable: string | null;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Where a box came from: 'person' (drawn, moved or accepted, or given by a labels file), 'frame'
 * (the whole photo, until someone boxes it), 'proposed' (placed by Caudal around the animal,
 * used for matching until a person accepts or moves it).
 */
export type AnnotationSource = 'person' | 'frame' | 'proposed';

export interface Annotation extends Box {
  id: number;
  source: AnnotationSource;
  photoId: number;
  bodyPart: string;
  side: string | null;
  quality: number | null;
  individualId: number | null;
  individualCode: string | null;
  identifiedBy: string | null;
  identifiedAt: string | null;
}

export interface PhotoSummary {
  id: number;
  originalName: string;
  width: number;
  height: number;
  takenAt: string | null;
  latitude: number | null;
  longitude: number | null;
  encounterId: number | null;
  missing: boolean;
  annotations: number;
  identified: number;
}

export interface PhotoDetail extends PhotoSummary {
  sha256: string;
  path: string;
  copied: boolean;
  fileSize: number | null;
  orientation: number | null;
  takenAtUtc: string | null;
  cameraMake: string | null;
  cameraModel: string | null;
  importId: number | null;
  annotationList: Annotation[];
}

export interface Encounter {
  id: number;
  code: string | null;
  startTime: string | null;
  endTime: string | null;
  latitude: number | null;
  longitude: number | null;
  location: string | null;
  observer: string | null;
  platform: string | null;
  notes: string | null;
  photos: number;
  /** The first photo (by time), for a cover thumbnail. */
  coverPhotoId: number | null;
}

/**
 * What can be edited on an encounter. `startTime`/`endTime` are local date-times with an optional
 * UTC offset (`2024-07-03T10:42`, `2024-07-03T10:42+02:00`, or a bare date); latitude and
 * longitude go together (decimal degrees, WGS84).
 */
export type EncounterPatch = Partial<Pick<Encounter, 'code' | 'startTime' | 'endTime' | 'location' | 'observer' | 'platform' | 'notes' | 'latitude' | 'longitude'>>;

export interface AnnotationFields {
  bodyPart?: string;
  side?: string | null;
  quality?: number | null;
}

export interface Page<T> {
  total: number;
  items: T[];
}

export interface PhotosRequests {
  /** Starts an import job; progress arrives as `job.updated`, the result is an ImportReport. */
  'import.start': RequestSpec<ImportParams, JobInfoOf<'import', ImportReport>>;
  /** Photos by capture time; `encounterId: null` lists photos outside any encounter. */
  'photos.list': RequestSpec<{ encounterId?: number | null; offset?: number; limit?: number }, Page<PhotoSummary>>;
  'photos.get': RequestSpec<{ id: number }, PhotoDetail>;
  /** Flags photos whose file has gone (and clears the flag of those back); never deletes. */
  'photos.checkMissing': RequestSpec<Record<string, never>, { checked: number; missing: number }>;
  'annotations.create': RequestSpec<{ photoId: number; box: Box } & AnnotationFields, Annotation>;
  'annotations.update': RequestSpec<{ id: number; box?: Box } & AnnotationFields, Annotation>;
  'annotations.delete': RequestSpec<{ id: number }, { deleted: number }>;
  /** A proposed box, kept as it is: it becomes a person's box. */
  'annotations.accept': RequestSpec<{ id: number }, Annotation>;
  'encounters.list': RequestSpec<{ offset?: number; limit?: number }, Page<Encounter>>;
  'encounters.get': RequestSpec<{ id: number }, Encounter>;
  'encounters.update': RequestSpec<{ id: number; patch: EncounterPatch }, Encounter>;
  /** The same patch on several encounters, in one transaction (no `code`: codes are unique). */
  'encounters.updateMany': RequestSpec<{ ids: number[]; patch: EncounterPatch }, Encounter[]>;
  /** Moves every photo of `sourceIds` into `targetId` and removes the emptied encounters. */
  'encounters.merge': RequestSpec<{ targetId: number; sourceIds: number[] }, Encounter>;
  /** Moves photos into an encounter, or into a new one when `encounterId` is null (a split). */
  'encounters.movePhotos': RequestSpec<{ photoIds: number[]; encounterId: number | null }, Encounter>;
}

export const photosRequestNames = {
  'import.start': true,
  'photos.list': true,
  'photos.get': true,
  'photos.checkMissing': true,
  'annotations.create': true,
  'annotations.update': true,
  'annotations.delete': true,
  'annotations.accept': true,
  'encounters.list': true,
  'encounters.get': true,
  'encounters.update': true,
  'encounters.updateMany': true,
  'encounters.merge': true,
  'encounters.movePhotos': true,
} as const satisfies NameSet<PhotosRequests>;

export const sides = ['left', 'right', 'dorsal', 'ventral'] as const;
export const bodyParts = ['fluke', 'dorsal', 'flank', 'head', 'whole'] as const;
