import type { Command } from '../command';
import { numberOption } from '../command';
import { generateSynth } from '../../core/synth/generate';
import { UserError } from '../../core/util/errors';

export const synth: Command = {
  name: 'synth',
  summary: 'Generate synthetic humpback fluke photos with EXIF and labels.csv (for demos, tests and benchmarks; never evidence of accuracy).',
  usage: 'synth --out DIR [--individuals N] [--photos M] [--seed S] [--size WxH] [--workers K] [--json]',
  options: {
    out: { type: 'string', description: 'folder to write (new, empty, or made by caudal synth before)', valueName: 'DIR' },
    individuals: { type: 'string', description: 'number of whales (default 50)', valueName: 'N' },
    photos: { type: 'string', description: 'number of photos, at least N (default 500)', valueName: 'M' },
    seed: { type: 'string', description: 'random seed: the same seed gives the same files (default 1)', valueName: 'S' },
    size: { type: 'string', description: 'image size (default 480x320)', valueName: 'WxH' },
    workers: { type: 'string', description: 'generator threads (default: one per core; 0 = main thread)', valueName: 'K' },
  },
  async run(args, io) {
    const out = args.values.out;
    if (typeof out !== 'string' || !out) throw new UserError('--out DIR is required', 'usage');
    const size = String(args.values.size ?? '480x320');
    const m = /^(\d+)x(\d+)$/.exec(size);
    if (!m) throw new UserError(`--size must look like 480x320, got '${size}'`, 'usage');
    let last = 0;
    const result = await generateSynth({
      out,
      individuals: numberOption(args, 'individuals', 50),
      photos: numberOption(args, 'photos', 500),
      seed: numberOption(args, 'seed', 1),
      width: Number(m[1]),
      height: Number(m[2]),
      workers: args.values.workers === undefined ? undefined : numberOption(args, 'workers', 0),
      onProgress: (done, total) => {
        const t = Date.now();
        if (!args.json && (t - last > 1000 || done === total)) {
          last = t;
          io.err(`  ${done}/${total} photos`);
        }
      },
    });
    return result;
  },
  human: (r) =>
    [
      `wrote ${r.photos} photos of ${r.individuals} individuals (${r.sightings} sightings over ${r.days} survey days) to ${r.out}`,
      `labels    ${r.labels}`,
      `speed     ${r.photosPerSecond} photos/s (${r.seconds} s, ${r.workers} worker threads, ${r.width}x${r.height})`,
      'These photos are synthetic: for demos, tests and benchmarks, never evidence of accuracy.',
    ].join('\n'),
};
