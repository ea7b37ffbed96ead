import path from 'node:path';
import type { Command } from '../command';
import { numberOption } from '../command';
import { filtersFromArgs } from '../match-options';
import { Catalog } from '../../core/store/catalog';
import { matchPhotos, type PhotoMatch } from '../../core/match/match-photos';
import { embedImageFile } from '../../core/vision/embed';
import { closeExtractors } from '../../core/vision/extractor-cache';
import { UserError } from '../../core/util/errors';

export const matchCommand: Command = {
  name: 'match',
  summary: 'Rank the catalogued individuals most like each photo (a new photo is embedded, not added).',
  usage: 'match PHOTO... [--encounter] [--catalog FILE] [--top K] [--side S[,S...]] [--body-part B] [--from DATE] [--to DATE] [--near LAT,LON --within KM] [--json]',
  options: {
    top: { type: 'string', description: 'candidates per photo (default 10)', valueName: 'K' },
    side: { type: 'string', description: 'the side shown (left, right, ...): only that side is matched; with --encounter, one per photo (left,right)', valueName: 'S' },
    encounter: { type: 'boolean', description: 'the photos show one animal (one encounter, e.g. both flanks): rank individuals for all of them together' },
    'body-part': { type: 'string', description: 'the body part shown: only that body part is matched', valueName: 'B' },
    from: { type: 'string', description: 'only gallery photos taken on or after DATE', valueName: 'DATE' },
    to: { type: 'string', description: 'only gallery photos taken on or before DATE', valueName: 'DATE' },
    near: { type: 'string', description: 'only gallery photos within --within KM of LAT,LON', valueName: 'LAT,LON' },
    within: { type: 'string', description: 'radius for --near, in km', valueName: 'KM' },
  },
  async run(args) {
    if (args.positionals.length === 0) throw new UserError('give one or more photos to match', 'usage');
    const top = numberOption(args, 'top', 10);
    if (!Number.isInteger(top) || top < 1) throw new UserError(`--top must be a whole number >= 1, got '${String(args.values.top)}'`, 'usage');
    const filters = filtersFromArgs(args);
    const encounter = args.values.encounter === true;
    const side = args.values.side as string | undefined;
    const sides = encounter && side?.includes(',') ? side.split(',').map((x) => x.trim()) : undefined;
    const catalog = Catalog.open(args.catalog, { mustExist: true });
    try {
      return await matchPhotos(
        catalog,
        args.positionals.map((p) => path.resolve(p)),
        { top, side: sides ? undefined : side, sides, encounter, bodyPart: args.values['body-part'] as string | undefined, filters },
        async (c, file) => (await embedImageFile(c, file, undefined, { bodyPart: args.values['body-part'] as string | undefined })).vector,
      );
    } finally {
      await closeExtractors();
      catalog.close();
    }
  },
  human: (results: PhotoMatch[]) =>
    results
      .map((r) =>
        [
          r.photo,
          ...r.candidates.map((c, i) => `  ${String(i + 1).padStart(2)}. ${c.individual.padEnd(16)} ${c.score.toFixed(3)}  (annotation ${c.annotation})`),
          `  new individual: ${(r.newIndividual * 100).toFixed(0)} %`,
        ].join('\n'),
      )
      .join('\n'),
};
