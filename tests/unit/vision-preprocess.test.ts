import path from 'node:path';
import sharp from 'sharp';
import { FeatureExtractor } from '../../electron/core/vision/extractor';
import { runPipeline } from '../../electron/core/vision/pipeline';
import type { Box } from '../../electron/core/vision/preprocess';
import type { ViewSpec } from '../../electron/core/vision/views';
import type { ModelManifest } from '../../electron/core/vision/manifest';
import { identityManifest, identityModel } from '../helpers/tiny-models';
import { tmpDir } from '../helpers/tmp';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const dir = tmpDir('caudal-preprocess-');

/** Pixels with every byte different enough that a misplaced one shows. */
function pixels(width: number, height: number, seed = 1): Buffer {
  const px = Buffer.alloc(width * height * 3);
  for (let i = 0; i < px.length; i++) px[i] = (i * 37 + seed * 11) % 256;
  return px;
}

async function png(name: string, px: Buffer, width: number, height: number, orientation?: number): Promise<string> {
  const file = path.join(dir, name);
  let img = sharp(px, { raw: { width, height, channels: 3 } });
  if (orientation) img = img.withMetadata({ orientation });
  await img.png().toFile(file);
  return file;
}

/** The expected network input, computed by hand from a pixel getter: NCHW, (v/255 - mean)/std. */
function expected(width: number, height: number, at: (x: number, y: number, c: number) => number): Float32Array {
  const out = new Float32Array(3 * width * height);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[c * width * height + y * width + x] = (at(x, y, c) / 255 - MEAN[c]) / STD[c];
  return out;
}

/** Runs the real pipeline (sharp, then an onnxruntime session of an Identity graph) and returns what the network saw. */
async function networkInput(manifest: ModelManifest, file: string, box?: Box, view: ViewSpec = {}): Promise<Float32Array> {
  const ex = await FeatureExtractor.open(manifest, { modelBytes: identityModel(manifest.input.width, manifest.input.height), device: 'cpu' });
  let out: Float32Array | undefined;
  await runPipeline(ex, [{ key: 1, source: file, box, views: [view] }], (b) => {
    expect(b.failed).toEqual([]);
    out = b.features.get(1)![0];
  });
  await ex.release();
  return out!;
}

describe('preprocessing numerics (exact, through a tiny Identity ONNX graph)', () => {
  it('gives the hand-computed NCHW tensor for a whole frame', async () => {
    const px = pixels(8, 6);
    const file = await png('whole.png', px, 8, 6);
    const got = await networkInput(identityManifest(8, 6), file);
    expect(Array.from(got)).toEqual(Array.from(expected(8, 6, (x, y, c) => px[(y * 8 + x) * 3 + c])));
  });

  it('crops the annotation box grown by the margin', async () => {
    const px = pixels(20, 16, 2);
    const file = await png('crop.png', px, 20, 16);
    // box 6x5 at (5,4), margin 0.2: x from floor(3.8)=3 to ceil(12.2)=13, y from floor(3)=3 to ceil(10)=10 -> 10x7
    const got = await networkInput(identityManifest(10, 7, { margin: 0.2 }), file, { x: 5, y: 4, w: 6, h: 5 });
    expect(Array.from(got)).toEqual(Array.from(expected(10, 7, (x, y, c) => px[((y + 3) * 20 + x + 3) * 3 + c])));
  });

  it('applies EXIF orientation before cropping (boxes are in displayed pixels)', async () => {
    // stored 6 wide x 8 high, orientation 6 (display rotated 90 degrees clockwise): displayed 8 x 6
    const px = pixels(6, 8, 3);
    const file = await png('oriented.png', px, 6, 8, 6);
    const stored = (x: number, y: number, c: number) => px[((8 - 1 - x) * 6 + y) * 3 + c]; // displayed (x,y) -> stored (col y, row 7-x)
    const whole = await networkInput(identityManifest(8, 6), file);
    expect(Array.from(whole)).toEqual(Array.from(expected(8, 6, stored)));
    const box = await networkInput(identityManifest(4, 3), file, { x: 2, y: 1, w: 4, h: 3 });
    expect(Array.from(box)).toEqual(Array.from(expected(4, 3, (x, y, c) => stored(x + 2, y + 1, c))));
  });

  it('mirrors the view when asked', async () => {
    const px = pixels(8, 6, 4);
    const file = await png('mirror.png', px, 8, 6);
    const got = await networkInput(identityManifest(8, 6), file, undefined, { mirror: true });
    expect(Array.from(got)).toEqual(Array.from(expected(8, 6, (x, y, c) => px[(y * 8 + (7 - x)) * 3 + c])));
  });

  it('a mirror rendered beside the plain view (flipped in JS) equals the mirror sharp renders', async () => {
    const px = pixels(30, 20, 7);
    const file = await png('mirror2.png', px, 30, 20);
    const m = identityManifest(12, 9, { kernel: 'lanczos3' }); // a real resample, not a copy
    const ex = await FeatureExtractor.open(m, { modelBytes: identityModel(12, 9), device: 'cpu' });
    const got: Float32Array[][] = [];
    await runPipeline(ex, [{ key: 1, source: file, views: [{}, { mirror: true }] }, { key: 2, source: file, views: [{ mirror: true }] }], (b) => {
      got.push(b.features.get(1)!, b.features.get(2)!);
    });
    await ex.release();
    const [[plain, mirrored], [sharpMirror]] = got;
    expect(Array.from(mirrored)).toEqual(Array.from(sharpMirror));
    expect(Array.from(mirrored)).not.toEqual(Array.from(plain));
  });

  it('letterboxes with the mean colour, and centre-crops', async () => {
    const px = pixels(8, 4, 5);
    const file = await png('wide.png', px, 8, 4);
    const pad = MEAN.map((m) => Math.round(m * 255));
    const boxed = await networkInput(identityManifest(8, 8, { resize: 'letterbox' }), file);
    expect(Array.from(boxed)).toEqual(Array.from(expected(8, 8, (x, y, c) => (y < 2 || y >= 6 ? pad[c] : px[((y - 2) * 8 + x) * 3 + c]))));
    const cropped = await networkInput(identityManifest(4, 4, { resize: 'crop' }), file);
    expect(Array.from(cropped)).toEqual(Array.from(expected(4, 4, (x, y, c) => px[(y * 8 + x + 2) * 3 + c])));
  });

  it('squashes by resampling: a 2x2-block image halves to its blocks exactly', async () => {
    const small = pixels(4, 3, 6);
    const big = Buffer.alloc(8 * 6 * 3);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) for (let c = 0; c < 3; c++) big[(y * 8 + x) * 3 + c] = small[((y >> 1) * 4 + (x >> 1)) * 3 + c];
    const file = await png('blocks.png', big, 8, 6);
    const got = await networkInput(identityManifest(4, 3), file);
    expect(Array.from(got)).toEqual(Array.from(expected(4, 3, (x, y, c) => small[(y * 4 + x) * 3 + c])));
  });

  it('names the file when it cannot be decoded', async () => {
    const file = path.join(dir, 'broken.jpg');
    (await import('node:fs')).writeFileSync(file, 'not an image');
    const ex = await FeatureExtractor.open(identityManifest(4, 4), { modelBytes: identityModel(4, 4), device: 'cpu' });
    const failed: string[] = [];
    await runPipeline(ex, [{ key: 9, source: file, views: [{}] }], (b) => void failed.push(...b.failed.map((f) => f.error)));
    expect(failed[0]).toContain('broken.jpg');
  });
});
