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
