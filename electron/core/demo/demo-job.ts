import fs from 'node:fs';
import path from 'node:path';
import type { DemoResult, ImportParams, TrainJobParams } from '../../contract';
import type { JobHandler, KindContext } from '../jobs/context';
import { importJob } from '../import/job';
import { embedJob } from '../vision/embed-job';
import { trainJob } from '../training/train-job';
import { generateSynth, SYNTH_MANIFEST } from '../synth/generate';
import { UserError } from '../util/errors';
import { getSetting, setSetting } from '../catalog/settings';
import { imageFolders, readDemoDataset } from './dataset';
import { csvField } from '../util/csv';
import { autoReview, scoreQueries } from './auto-review';
import { splitForDemo, type DemoRole } from './split';
import { runSub } from './sub-job';

export const DEMO_REVIEWER = 'Caudal demo (automatic review from the labels)';
export const DEMO_DEFAULTS = { individuals: 60, photos: 600, seed: 1 } as const;
/** Enough epochs for a clear gain on the sample set within the demo's few minutes. */
export const DEMO_EPOCHS = 100;

/**
 * Size of the generated set when the caller does not say: CAUDAL_DEMO_SIZE=NxM (individuals x
 * photos) lets end-to-end tests and slow machines run the app's "Try with sample data" smaller.
 */
function defaultSize(): { individuals: number; photos: number } {
  const m = /^(\d+)x(\d+)$/.exec(process.env.CAUDAL_DEMO_SIZE ?? '');
  return m ? { individuals: Number(m[1]), photos: Number(m[2]) } : DEMO_DEFAULTS;
}

/** The demo's checkpoint: the results of the stages that change what later ones measure. */
interface DemoCheckpoint {
  started: true;
  review?: Awaited<ReturnType<typeof autoReview>>;
  before?: DemoResult['before'];
  trained?: { model: string };
}

/** Job kind 'demo': the whole loop on sample data, in the open catalog, which must be empty. */
export const demoJob: JobHandler<'demo'> = (ctx) => runDemo(ctx);

async function runDemo(ctx: KindContext<'demo'>): Promise<DemoResult> {
  // `b`: the catalog and the backend's services, as the steps below call them.
  const b = ctx;
  const p = ctx.params ?? {};
  const store = b.catalog.store;
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const stage = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const r = await fn();
    timings[name] = Math.round((performance.now() - t) / 100) / 10;
    ctx.throwIfCancelled();
    return r;
  };
  // A resumed demo (the app was closed mid-run) finds its own photos; anything else must be empty.
  const saved = ctx.previousCheckpoint as Partial<DemoCheckpoint> | undefined;
  const resumed = saved?.started === true;
  const photosBefore = store.photos.count();
  if (photosBefore > 0 && !resumed) throw new UserError(`the demo runs in an empty catalog; ${b.catalog.file} already holds ${photosBefore} photos`, 'not-empty');
  // What finished stages measured: scores taken after a later stage changed the catalog would be wrong.
  const done: DemoCheckpoint = resumed ? { ...saved, started: true } : { started: true };
  ctx.checkpoint(done);

  // 1. The photos: a labelled folder, or a generated set inside the catalog's folder.
  const seed = p.seed ?? DEMO_DEFAULTS.seed;
  let dataset: string;
  let synthetic = false;
  if (p.dataset) {
    dataset = path.resolve(p.dataset);
    if (!fs.existsSync(dataset)) throw new UserError(`no dataset folder at ${dataset}`, 'not-found');
  } else {
    dataset = path.join(b.catalog.dir('sample-data'), `flukes-seed${seed}`);
    synthetic = true;
    // labels.csv is written last: with it, an earlier run's set is complete.
    if (!(resumed && fs.existsSync(path.join(dataset, 'labels.csv')))) {
      await stage('generate', () =>
        generateSynth({
          out: dataset,
          individuals: p.individuals ?? defaultSize().individuals,
          photos: p.photos ?? defaultSize().photos,
          seed,
          signal: ctx.signal,
          onProgress: (done, total) => ctx.progress(Math.round((100 * done) / total), 1000, `drawing sample photos ${done}/${total}`),
        }),
      );
    }
  }
  synthetic ||= fs.existsSync(path.join(dataset, SYNTH_MANIFEST));
  // Generated photos are humpback flukes, so the demo catalog says so; a real dataset's species is its owner's to give.
  if (synthetic && !getSetting(b.catalog, 'species')) setSetting(b.catalog, 'species', 'Megaptera novaeangliae');
  if (synthetic && !getSetting(b.catalog, 'bodyPart')) setSetting(b.catalog, 'bodyPart', 'fluke');
  const photos = readDemoDataset(dataset);
  const split = splitForDemo(photos, seed);
  const truth = new Map(photos.map((ph) => [path.resolve(dataset, ph.image), ph]));

  // 2. Import everything; only the catalog part carries its identity. Sides and sightings come
  // from the labels for all photos (a sighting is an encounter).
  const labels = path.join(b.catalog.dir('demo'), 'labels-catalog.csv');
  const lines = ['image,individual,side,sighting'];
  for (const ph of photos) {
    const known = split.roles.get(ph.image) === 'catalog' ? ph.individual : '';
    lines.push([path.resolve(dataset, ph.image), known, ph.side ?? '', ph.sighting].map(csvField).join(','));
  }
  fs.writeFileSync(labels, `${lines.join('\n')}\n`);
  const importParams: ImportParams = { paths: imageFolders(dataset, photos), labels };
  const imported = await stage('import', () => runSub(importJob, ctx, importParams, 100, 250, 'importing'));
  if (imported.failed.length) throw new UserError(`the demo could not import ${imported.failed.length} files, e.g. ${imported.failed[0].file}: ${imported.failed[0].error}`, 'bad-input');

  // 3. Embed with the pretrained backbone.
  const embedded = await stage('embed', () => runSub(embedJob, ctx, {}, 250, 550, 'embedding'));
  if (embedded.failed) throw new UserError(`the demo could not embed ${embedded.failed} photos: ${embedded.warnings.join('; ')}`, 'bad-input');

  // Which annotation is which photo, and what the demo does with it.
  const rows = store.annotations.withPhotoPaths();
  const byRole: Record<DemoRole, Array<{ id: number; individual: string; done: boolean }>> = { catalog: [], review: [], holdout: [] };
  // Label -> catalog individual: codes from the import; newcomers (and a resumed run's earlier
  // decisions) from the identities already recorded.
  const codeToId = store.individuals.idsByCode();
  for (const r of rows) {
    const ph = truth.get(path.resolve(r.path));
    if (!ph) continue;
    byRole[split.roles.get(ph.image) ?? 'holdout'].push({ id: r.id, individual: ph.individual, done: r.individualId !== null });
    if (r.individualId !== null && !codeToId.has(ph.individual)) codeToId.set(ph.individual, r.individualId);
  }

  // 4. Review the middle sightings as a person would, from the labels: confirm the true
  // individual where the catalog has it, declare a new one where it does not.
  const previousReviewer = b.catalog.store.settings.get<string>('reviewer', '');
  b.catalog.store.settings.set('reviewer', DEMO_REVIEWER);
  let reviewed: Awaited<ReturnType<typeof autoReview>>;
  try {
    reviewed = await stage('review', () =>
      autoReview(b, byRole.review, codeToId, {
        signal: ctx.signal,
        progress: (n, total) => ctx.progress(550 + Math.round((150 * n) / total), 1000, `reviewing ${n}/${total}`),
        // A resumed review goes on counting from the tallies of the decisions it made before. (A kill
        // between a decision and this checkpoint drops that one from the tallies, not from the catalog.)
        start: done.review,
        onDecision: (tally) => ctx.checkpoint({ ...done, review: tally }),
      }),
    );
  } finally {
    b.catalog.store.settings.set('reviewer', previousReviewer);
  }
  done.review = reviewed;
  ctx.checkpoint(done);
  const review = { ...reviewed, reviewer: DEMO_REVIEWER };

  // 5. Score the latest sightings against the catalog, before and after fine-tuning.
  const score = (from: number, to: number) =>
    scoreQueries(b, byRole.holdout, codeToId, {
      signal: ctx.signal,
      progress: (done, total) => ctx.progress(from + Math.round(((to - from) * done) / total), 1000, 'scoring the latest sightings'),
    });
  const before = done.before ?? (await stage('scoreBefore', () => score(700, 720)));
  done.before = before;
  ctx.checkpoint(done);

  // 6. Fine-tune on every confirmed identity (divide and conquer); the new model is activated
  // (the catalog re-embeds from stored features) so the latest sightings are scored with it.
  // Two folds, not five: the demo's own before/after (the latest sightings, left unidentified) is what
  // it reports, so the training's cross-validated estimate only needs to exist, not to be tight.
  const trainParams: TrainJobParams = { epochs: p.epochs ?? DEMO_EPOCHS, seed, activate: 'always', name: 'Demo fine-tuning', folds: 2 };
  if (p.learners !== undefined) trainParams.learners = p.learners;
  const trained = done.trained ?? (await stage('train', () => runSub(trainJob, ctx, trainParams, 720, 960, 'fine-tuning')));
  done.trained = { model: trained.model };
  ctx.checkpoint(done);
  const modelId = trained.model;
  const activated = store.models.active()?.id === modelId;
  const after = await stage('scoreAfter', () => score(960, 1000));
  ctx.changed('*');

  return {
    catalog: b.catalog.file,
    dataset,
    synthetic,
    photos: store.photos.count(),
    individuals: split.individuals,
    split: { ...split.counts, newcomers: split.newcomers.length },
    review,
    before,
    after,
    improved: after.map5 > before.map5,
    model: { id: modelId, activated },
    timings,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    open: `npm run web -- --catalog ${JSON.stringify(b.catalog.file)}`,
  };
}
