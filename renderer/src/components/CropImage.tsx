import { useState } from 'react';
import type { Box, MediaKind } from '../../../electron/contract';
import { api } from '../api/bridge';

export interface Croppable {
  photoId: number;
  width: number;
  height: number;
  box: Box;
}

/**
 * The annotation's box cut out of a rendition, fitted into a fixed frame. The image is placed
 * in full-resolution pixels scaled down, so any rendition (thumb, preview, full) lines up.
 */
export function CropImage({ view, kind = 'thumb', width, height, margin = 0.04, alt = '' }: { view: Croppable; kind?: MediaKind; width: number; height: number; margin?: number; alt?: string }) {
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);
  const b = view.box;
  const s = Math.min(width / (b.w * (1 + 2 * margin)), height / (b.h * (1 + 2 * margin)));
  const left = width / 2 - (b.x + b.w / 2) * s;
  const top = height / 2 - (b.y + b.h / 2) * s;
  return (
    <span className={`crop${failed ? ' failed' : ''}`} style={{ width, height }}>
      <img
        src={api().mediaUrl(kind, view.photoId)}
        alt={alt}
        draggable={false}
        data-loaded={loaded ? '1' : undefined}
        onLoad={() => setLoaded(true)}
        onError={() => setFailed(true)}
        style={{ width: view.width * s, height: view.height * s, left, top }}
      />
    </span>
  );
}
