import fs from 'node:fs';
import type { Catalog } from '../store/catalog';
import { renditionFile, renditionSize, writeRendition } from '../media/media';
import { writeAtomically } from '../util/atomic-write';
import { decodeReason, endsShort, MAX_INPUT_PIXELS, type ImageInfo } from './inspect';

/**
 * The grid thumbnail and the large preview, written before the photo's row is committed (so a
 * committed photo always has them). The one full decode of the original happens here, with
 * shrink-on-load, and doubles as the check that the whole file decodes; the thumbnail is made
 * from the preview, which is far cheaper than decoding the original twice. A JPEG that is
 * already upright and no larger than a preview is its own preview (no re-encoding, no loss).
 * Renditions already there (an interrupted run wrote them; they are written atomically) are kept.
 */
export async function makeRenditions(catalog: Catalog, sha256: string, input: Buffer | string, info: ImageInfo): Promise<void> {
  const preview = renditionFile(catalog, sha256, 'preview');
  const thumb = renditionFile(catalog, sha256, 'thumb');
  const strict = { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS } as const;
  try {
    if (!fs.existsSync(preview)) {
      const fits = info.format === 'jpeg' && (info.orientation ?? 1) === 1 && Math.max(info.width, info.height) <= renditionSize.preview;
      if (fits) await writeAtomically(preview, input);
      else await writeRendition(input, preview, 'preview', strict);
    }
    // Strict here too: for a photo that is its own preview, this is the decode that finds truncation.
    if (!fs.existsSync(thumb)) await writeRendition(preview, thumb, 'thumb', strict);
  } catch (e) {
    fs.rmSync(preview, { force: true }); // never leave a damaged original standing in as a preview
    throw new Error(decodeReason(e, endsShort(input, info.format)));
  }
}

