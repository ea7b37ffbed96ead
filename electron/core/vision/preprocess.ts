import sharp, { type Metadata, type Sharp } from 'sharp';
import { UserError } from '../util/errors';
import type { ModelManifest, ResizeMode } from './manifest';
import type { ViewSpec } from './views';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The oriented, cropped pixels of one annotation, decoded once and shared by all its views. */
export interface DecodedCrop {
  data: Buffer;
  width: number;
  height: number;
}

const fitOf: Record<ResizeMode, 'fill' | 'contain' | 'cover'> = { squash: 'fill', letterbox: 'contain', crop: 'cover' };

/** The box grown by the manifest's margin, clamped to the photo, in whole pixels. */
export function marginRegion(box: Box, margin: number, width: number, height: number): { left: number; top: number; width: number; height: number } {
  const left = Math.max(0, Math.floor(box.x - box.w * margin));
  const top = Math.max(0, Math.floor(box.y - box.h * margin));
  const right = Math.min(width, Math.ceil(box.x + box.w * (1 + margin)));
  const bottom = Math.min(height, Math.ceil(box.y + box.h * (1 + margin)));
  if (right - left < 1 || bottom - top < 1) throw new UserError(`annotation box ${JSON.stringify(box)} lies outside the ${width}x${height} photo`, 'bad-box');
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * Decodes a photo as displayed (EXIF orientation applied) and crops the annotation box plus
 * margin; no box means the whole frame. A crop far larger than the network input is shrunk
 * (aspect kept) to twice the input size here, so views are cheap and JPEG shrink-on-load helps.
 */
export async function decodeCrop(source: string | Buffer, manifest: ModelManifest, box?: Box): Promise<DecodedCrop> {
  const name = typeof source === 'string' ? source : 'image';
  let img: Sharp;
  let meta: Metadata;
  try {
    img = sharp(source, { failOn: 'error' });
    meta = await img.metadata();
  } catch (e) {
    throw new UserError(`cannot decode ${name}: ${(e as Error).message}`, 'bad-image');
  }
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? meta.height! : meta.width!;
  const height = swap ? meta.width! : meta.height!;
  const region = box ? marginRegion(box, manifest.preprocess.margin, width, height) : { left: 0, top: 0, width, height };
  const { width: tw, height: th } = manifest.input;
  let pipe = img.rotate();
  if (region.left !== 0 || region.top !== 0 || region.width !== width || region.height !== height) pipe = pipe.extract(region);
  if (region.width > 2 * tw && region.height > 2 * th) {
    pipe = pipe.resize(2 * tw, 2 * th, { fit: 'outside', kernel: manifest.preprocess.kernel ?? 'lanczos3' });
  }
  try {
    const { data, info } = await pipe.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (e) {
    throw new UserError(`cannot decode ${name}: ${(e as Error).message}`, 'bad-image');
  }
}

/** Per-input-channel lookup tables: pixel byte -> normalised float, exactly (v / scale - mean) / std. */
export function normaliseTables(manifest: ModelManifest): Float32Array[] {
  const { scale, mean, std } = manifest.preprocess;
  return [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, v) => (v / scale - mean[c]) / std[c]));
}

/** Renders one view of a decoded crop to the network's input size, as 8-bit RGB. */
export async function renderView(crop: DecodedCrop, manifest: ModelManifest, view: ViewSpec = {}): Promise<Buffer> {
  const { width: tw, height: th } = manifest.input;
  const p = manifest.preprocess;
  let img = sharp(crop.data, { raw: { width: crop.width, height: crop.height, channels: 3 } });
  if (view.window) {
    const w = view.window;
    const left = Math.round(w.left * crop.width);
    const top = Math.round(w.top * crop.height);
    img = img.extract({
      left,
      top,
      width: Math.max(1, Math.min(crop.width - left, Math.round(w.width * crop.width))),
      height: Math.max(1, Math.min(crop.height - top, Math.round(w.height * crop.height))),
    });
  }
  const background = { r: Math.round(p.mean[0] * p.scale), g: Math.round(p.mean[1] * p.scale), b: Math.round(p.mean[2] * p.scale) };
  if (crop.width !== tw || crop.height !== th || view.window) {
    img = img.resize(tw, th, { fit: fitOf[p.resize], kernel: p.kernel ?? 'lanczos3', background, position: 'centre' });
  }
  if (view.mirror) img = img.flop();
  if (view.colour) img = img.modulate({ brightness: view.colour.brightness, saturation: view.colour.saturation });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== tw || info.height !== th || info.channels !== 3) throw new Error(`view rendered as ${info.width}x${info.height}x${info.channels}`);
  return data;
}

/** Writes an RGB8 image into `out` at image slot `slot` as NCHW float32, in the manifest's channel order. */
export function toTensor(rgb: Buffer, manifest: ModelManifest, tables: Float32Array[], out: Float32Array, slot: number): void {
  const hw = manifest.input.width * manifest.input.height;
  const base = slot * 3 * hw;
  const order = manifest.input.channels === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  for (let c = 0; c < 3; c++) {
    const src = order[c];
    const t = tables[c]; // mean/std are given in the input's channel order
    const o = base + c * hw;
    for (let i = 0; i < hw; i++) out[o + i] = t[rgb[i * 3 + src]];
  }
}

/** One image, one view, as a [1,3,H,W] tensor: the whole preprocessing in one call. */
export async function preprocess(source: string | Buffer, manifest: ModelManifest, box?: Box, view: ViewSpec = {}): Promise<Float32Array> {
  const crop = await decodeCrop(source, manifest, box);
  const out = new Float32Array(3 * manifest.input.width * manifest.input.height);
  toTensor(await renderView(crop, manifest, view), manifest, normaliseTables(manifest), out, 0);
  return out;
}

/** The mirror image of an RGB8 image, in JS: the same bytes sharp's flop gives, without another resize. */
export function mirrorRgb(rgb: Buffer, width: number, height: number): Buffer {
  const out = Buffer.allocUnsafe(rgb.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const src = row + x * 3;
      const dst = row + (width - 1 - x) * 3;
      out[dst] = rgb[src];
      out[dst + 1] = rgb[src + 1];
      out[dst + 2] = rgb[src + 2];
    }
  }
  return out;
}

/** Renders all views of one crop; a plain mirror is flipped from the plain view instead of resampled again. */
export async function renderViews(crop: DecodedCrop, manifest: ModelManifest, views: ViewSpec[]): Promise<Buffer[]> {
  const isPlain = (v: ViewSpec) => !v.mirror && !v.window && !v.colour;
  const isMirror = (v: ViewSpec) => v.mirror === true && !v.window && !v.colour;
  const plainAt = views.findIndex(isPlain);
  const out = await Promise.all(views.map((v) => (plainAt >= 0 && isMirror(v) ? null : renderView(crop, manifest, v))));
  return out.map((b) => b ?? mirrorRgb(out[plainAt]!, manifest.input.width, manifest.input.height));
}
