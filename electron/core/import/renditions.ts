import fs from 'node:fs';
import type { Catalog } from '../catalog/catalog';
import { renditionFile, writeRendition } from '../media/media';
import { decodeReason, MAX_INPUT_PIXELS } from './inspect';

/**
 * The grid thumbnail and the large preview, written before the photo's row is committed (so a
 * committed photo always has them). The one full decode of the original happens here, with
 * shrink-on-load, and doubles as the check that the whole file decodes; the thumbnail is made
 * from the preview, which is far cheaper than decoding the original twice. Renditions already
 * there (an interrupted run wrote them; they are written atomically) are kept.
 */
export async function makeRenditions(catalog: Catalog, sha256: string, input: Buffer | string): Promise<void> {
  const preview = renditionFile(catalog, sha256, 'preview');
  const thumb = renditionFile(catalog, sha256, 'thumb');
  try {
    if (!fs.existsSync(preview)) await writeRendition(input, preview, 'preview', { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS });
    if (!fs.existsSync(thumb)) await writeRendition(preview, thumb, 'thumb');
  } catch (e) {
    throw new Error(decodeReason(e));
  }
}
