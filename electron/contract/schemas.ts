/**
 * Run-time schemas of every request's params, checked where a request crosses a boundary: main's
 * IPC handler, the browser-mode server, and the CLI (job params built from its arguments). The
 * `satisfies` below makes each schema's output the contract's own `Params<N>`, so the two cannot
 * drift. Kept out of the contract's index: the renderer does not need zod in its bundle.
 */
import { z } from 'zod';
import type { JobKind, JobParams } from './job-kinds';
import type { Params, RequestName } from './index';
import { deviceChoices, type DeviceChoice } from './embedding';
import { exportKinds, type ExportKind } from './exchange';

const id = z.number().int().positive();
const count = z.number().int().nonnegative();
const text = z.string();
const none = z.object({}).strict();
const device = z.enum(deviceChoices.map((d) => d.value) as [DeviceChoice, ...DeviceChoice[]]);
const box = z.object({ x: z.number(), y: z.number(), w: z.number().positive(), h: z.number().positive() });
const annotationFields = { bodyPart: text.optional(), side: text.nullable().optional(), quality: z.number().nullable().optional() };
const encounterPatch = z.object({
  code: text.nullable().optional(),
  startTime: text.nullable().optional(),
  endTime: text.nullable().optional(),
  location: text.nullable().optional(),
  observer: text.nullable().optional(),
  platform: text.nullable().optional(),
  notes: text.nullable().optional(),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
});
const matchFilters = z.object({
  sameSide: z.boolean().optional(),
  sameBodyPart: z.boolean().optional(),
  side: text.optional(),
  bodyPart: text.optional(),
  from: text.optional(),
  to: text.optional(),
  near: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), km: z.number().positive() }).optional(),
  excludeRejected: z.boolean().optional(),
  excludeOwnEncounter: z.boolean().optional(),
});
const fileFilters = z.array(z.object({ name: text, extensions: z.array(text) })).optional();
const pick = z.object({ title: text.optional(), defaultPath: text.optional(), filters: fileFilters });
const settingValue: z.ZodType<import('./catalog').SettingValue> = z.lazy(() => z.union([text, z.number(), z.boolean(), z.null(), z.array(settingValue), z.record(text, settingValue)]));
// Not trimmed: a folder's name may end in a space; the app's handlers trim what a person typed.
const path = text.refine((p) => p.trim() !== '', 'give a file or folder path');
const exportOptions = z.object({
  thumbnails: z.boolean().optional(),
  originals: z.boolean().optional(),
  // Written into every occurrence row of the archive: a typo here ships broken links to GBIF.
  mediaBaseUrl: text.regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// address').optional(),
  mkdir: z.boolean().optional(),
});
const exportParams = z.object({ kind: z.enum(exportKinds as [ExportKind, ...ExportKind[]]), out: path, options: exportOptions.optional() });
const mergeParams = z.object({ bundle: path });
const identitiesParams = z.object({ file: path, format: z.enum(['sightings', 'wildbook']) });
const importParams = z
  .object({ paths: z.array(path), labels: path.optional(), copy: z.boolean().optional() })
  .refine((p) => p.paths.length > 0 || p.labels !== undefined, { path: ['paths'], message: 'give at least one file or folder (or a labels CSV)' });
const demoParams = z.object({
  dataset: path.optional(),
  individuals: z.number().int().min(1).optional(),
  photos: z.number().int().min(1).optional(),
  seed: z.number().int().optional(),
  epochs: count.optional(),
  learners: z.number().int().min(1).optional(),
});
const trainingStart = z.object({
  learners: z.number().int().min(1).optional(),
  start: z.enum(['random', 'pretrained']).optional(),
  epochs: z.number().int().min(1).optional(),
  dim: z.number().int().min(1).optional(),
  seed: z.number().int().optional(),
  name: text.optional(),
  activate: z.enum(['auto', 'never', 'always']).optional(),
});

export const requestSchemas = {
  'catalog.summary': none,
  'settings.get': none,
  'settings.set': z.object({ key: text.min(1), value: settingValue }),
  'demo.start': demoParams,
  'embedding.status': none,
  'embedding.start': z.object({ device: device.optional(), views: z.number().int().min(1).optional() }),
  'export.start': exportParams,
  'merge.start': mergeParams,
  'identities.import': identitiesParams,
  'conflicts.list': z.object({ state: z.enum(['open', 'resolved', 'all']).optional() }),
  'conflicts.resolve': z.object({ id, resolution: z.enum(['keep-local', 'take-incoming', 'same-animal', 'different-animals']), newCode: text.optional() }),
  'jobs.list': z.object({ limit: count.optional() }),
  'jobs.get': z.object({ id }),
  'jobs.cancel': z.object({ id }),
  'jobs.resume': z.object({ id }),
  'match.annotation': z.object({ annotationId: id, top: z.number().int().min(1).optional(), filters: matchFilters.optional(), encounter: z.boolean().optional() }),
  'import.start': importParams,
  'photos.list': z.object({ encounterId: id.nullable().optional(), offset: count.optional(), limit: count.optional() }),
  'photos.get': z.object({ id }),
  'photos.checkMissing': none,
  'annotations.create': z.object({ photoId: id, box, ...annotationFields }),
  'annotations.update': z.object({ id, box: box.optional(), ...annotationFields }),
  'annotations.delete': z.object({ id }),
  'annotations.accept': z.object({ id }),
  'encounters.list': z.object({ offset: count.optional(), limit: count.optional() }),
  'encounters.get': z.object({ id }),
  'encounters.update': z.object({ id, patch: encounterPatch }),
  'encounters.updateMany': z.object({ ids: z.array(id), patch: encounterPatch }),
  'encounters.merge': z.object({ targetId: id, sourceIds: z.array(id) }),
  'encounters.movePhotos': z.object({ photoIds: z.array(id), encounterId: id.nullable() }),
  'review.queue': z.object({ offset: count.optional(), limit: count.optional() }),
  'review.item': z.object({ annotationId: id, top: z.number().int().min(1).optional(), anySide: z.boolean().optional(), encounter: z.boolean().optional() }),
  'review.decide': z.object({ annotationId: id, action: z.enum(['confirm', 'reject', 'new', 'skip']), individualId: id.optional(), rank: z.number().optional(), score: z.number().optional(), modelId: text.optional() }),
  'review.undo': z.object({ decisionId: id.optional() }),
  'individuals.list': z.object({ search: text.optional(), offset: count.optional(), limit: count.optional() }),
  'individuals.get': z.object({ id }),
  'individuals.rename': z.object({ id, name: text }),
  'individuals.merge': z.object({ sourceId: id, targetId: id }),
  'individuals.split': z.object({ annotationId: id, toIndividualId: id.optional() }),
  'sightings.list': z.object({ individualId: id.optional(), encounterId: id.optional(), from: text.optional(), to: text.optional() }),
  'system.capabilities': none,
  'system.runtime': none,
  'system.pickFolder': z.object({ title: text.optional(), defaultPath: text.optional() }),
  'system.pickFile': pick,
  'system.pickSaveFile': pick,
  'system.openLogFolder': none,
  'training.status': none,
  'training.start': trainingStart,
  'training.cancel': z.object({ jobId: id }),
  'training.history': z.object({ limit: count.optional() }),
  'models.list': none,
  'models.activate': z.object({ id: text.min(1) }),
  'models.rollback': none,
  'team.status': none,
  'team.join': z.object({ url: text.min(1), site: text.min(1), password: z.string().optional() }),
  'team.sync': z.object({ password: z.string().optional() }),
  'team.resolve': z.object({ url: text.min(1), password: z.string().optional(), conflict: text.min(1), choice: text.min(1) }),
} satisfies { [N in RequestName]: z.ZodType<Params<N>> };

/**
 * Every job kind's params, checked when a job is queued (JobRunner.start, whoever asks: a request
 * over IPC or HTTP, a CLI command, a test) and by the CLI before it opens the catalog, so a bad
 * argument names its flag and changes nothing.
 */
export const jobParamSchemas = {
  import: importParams,
  embed: z.object({ device: device.optional(), views: z.number().int().min(1).optional(), batchSize: z.number().int().min(1).optional(), modelsDir: path.optional(), backbone: text.min(1).optional() }),
  demo: demoParams,
  export: exportParams,
  merge: mergeParams,
  'identities-import': identitiesParams,
  // The app's and the CLI's fields, then the training levers scripts and tests may set (none is dropped unseen).
  train: trainingStart.extend({
    folds: z.number().int().min(2).optional(),
    budgetSeconds: z.number().positive().optional(),
    gemm: z.enum(['onnxruntime', 'typescript']).optional(),
    reclusterEvery: z.number().int().min(1).optional(),
    finalShare: z.number().min(0).max(1).optional(),
    batchIndividuals: z.number().int().min(1).optional(),
    perIndividual: z.number().int().min(1).optional(),
    stepsPerEpoch: count.optional(),
    lr: z.number().positive().optional(),
    weightDecay: z.number().nonnegative().optional(),
    betaInit: z.number().optional(),
    betaLr: z.number().nonnegative().optional(),
    flipAverage: z.boolean().optional(),
    augmentViews: z.boolean().optional(),
    unseenShare: z.number().min(0).max(1).optional(),
    standardize: z.enum(['dimension', 'global']).optional(),
    evalEvery: count.optional(),
  }),
  'team-sync': z.object({ timeoutMs: z.number().positive().max(3_600_000).optional() }),
} satisfies { [K in JobKind]: z.ZodType<JobParams<K>> };

/** A request or argument that does not fit its schema: `field` is the path to the first bad value. */
export interface SchemaProblem {
  field: string;
  message: string;
}

/** The first problem with `value` under `schema`, or the parsed value. */
export function checkSchema<T>(schema: z.ZodType<T>, value: unknown): { ok: true; value: T } | { ok: false; problem: SchemaProblem } {
  const r = schema.safeParse(value ?? {});
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(params)');
  return { ok: false, problem: { field, message: issue.message } };
}
