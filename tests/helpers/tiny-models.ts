import type { ModelManifest } from '../../electron/core/vision/manifest';
import { encodeModel, floatTensor, floatValue, model, node } from '../../electron/core/vision/onnx-build';

/**
 * Tiny ONNX graphs built with onnx-proto, and manifests for them: an Identity graph (its
 * feature is the preprocessed input itself, so the exact tensor can be checked) and a small
 * float conv net standing in for a user's own backbone.
 */
export function identityModel(width: number, height: number): Uint8Array {
  return encodeModel(
    model({
      name: 'identity',
      node: [node('Identity', ['x'], ['y'])],
      input: [floatValue('x', ['N', 3, height, width])],
      output: [floatValue('y', ['N', 3, height, width])],
    }),
  );
}

export function identityManifest(width: number, height: number, over: Partial<ModelManifest['preprocess']> = {}): ModelManifest {
  return {
    id: 'identity-test',
    name: 'identity',
    file: 'identity.onnx',
    sha256: '0'.repeat(64),
    size: 1,
    input: { name: 'x', layout: 'NCHW', channels: 'RGB', width, height },
    preprocess: { resize: 'squash', kernel: 'nearest', margin: 0, scale: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], ...over },
    features: [{ tensor: 'y', channels: 3 * width * height, pooling: 'none' }],
  };
}

/** Conv 3->8 (fixed pseudo-random weights) + Relu at 32x32, pooled by the manifest: a backbone that is not MobileNet. */
export function tinyConvModel(): Uint8Array {
  const w = Array.from({ length: 8 * 3 * 3 * 3 }, (_, i) => Math.sin(i * 12.9898) * 0.5);
  return encodeModel(
    model({
      name: 'tinyconv',
      node: [node('Conv', ['img', 'w'], ['c'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }), node('Relu', ['c'], ['feat'])],
      initializer: [floatTensor('w', [8, 3, 3, 3], w)],
      input: [floatValue('img', ['N', 3, 32, 32])],
      output: [floatValue('feat', ['N', 8, 16, 16])],
    }),
  );
}

export function tinyConvManifest(sha256: string, size: number): ModelManifest {
  return {
    id: 'tinyconv-test',
    name: 'Tiny conv (test backbone)',
    file: 'tinyconv.onnx',
    sha256,
    size,
    input: { name: 'img', layout: 'NCHW', channels: 'RGB', width: 32, height: 32 },
    preprocess: { resize: 'letterbox', margin: 0.05, scale: 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    features: [
      { tensor: 'feat', channels: 8, pooling: 'meanstd' },
      { tensor: 'img', channels: 3, pooling: 'avg' },
    ],
    pooling: { normalizeBlocks: true },
  };
}

/**
 * A tiny classifier whose class-activation map is where an image is red: a 1x1 conv gives
 * "redness" (R minus the mean of G and B) and a flat channel, 8x8 average pooling the feature
 * map, then global pooling and a linear classifier whose class 1 reads only the redness
 * channel. Its proposer should box the red object of a generated photo.
 */
export function tinyCamModel(): Uint8Array {
  return encodeModel(
    model({
      name: 'tinycam',
      node: [
        node('Conv', ['img', 'conv_w', 'conv_b'], ['c'], { kernel_shape: [1, 1] }),
        node('AveragePool', ['c'], ['feat'], { kernel_shape: [8, 8], strides: [8, 8] }),
        node('GlobalAveragePool', ['feat'], ['gap']),
        node('Flatten', ['gap'], ['flat'], { axis: 1 }),
        node('Gemm', ['flat', 'cls_w'], ['logits']),
      ],
      initializer: [
        floatTensor('conv_w', [2, 3, 1, 1], [1, -0.5, -0.5, 0, 0, 0]),
        floatTensor('conv_b', [2], [0, 1]),
        // [in = 2 channels, out = 3 classes]: class 0 the flat channel, class 1 redness, class 2 both
        floatTensor('cls_w', [2, 3], [0, 1, 1, 1, 0, 1]),
      ],
      input: [floatValue('img', ['N', 3, 64, 64])],
      output: [floatValue('logits', ['N', 3])],
    }),
  );
}

export function tinyCamManifest(sha256: string, size: number): ModelManifest {
  const conv = tinyConvManifest(sha256, size);
  return {
    ...conv,
    id: 'tinycam-test',
    name: 'Tiny CAM (test backbone)',
    file: 'tinycam.onnx',
    input: { ...conv.input, width: 64, height: 64 },
    preprocess: { ...conv.preprocess, resize: 'squash' },
    features: [{ tensor: 'gap', channels: 2, pooling: 'none' }],
    pooling: undefined,
    proposer: { tensor: 'feat', classifier: { weight: 'cls_w', layout: 'in-out' }, classes: [1], size: 256 },
  };
}
