import { MEDIA_SCHEME } from '../../contract';

/**
 * The Content-Security-Policy for the renderer, the same in Electron and in browser mode:
 * only our own bundle runs (no inline or eval'd script), images come from our media route,
 * nothing remote is loaded or contacted, no frames, plugins, forms or base-URL tricks.
 * Inline styles are allowed because React sets style attributes (zoom, pan, box overlays).
 */
export function contentSecurityPolicy(mode: 'electron' | 'http'): string {
  const img = mode === 'electron' ? `'self' data: blob: ${MEDIA_SCHEME}:` : `'self' data: blob:`;
  const connect = mode === 'electron' ? `'self'` : `'self' ws://127.0.0.1:* ws://localhost:*`;
  return [
    `default-src 'none'`,
    `script-src 'self'`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src ${img}`,
    `media-src 'none'`,
    `font-src 'self'`,
    `connect-src ${connect}`,
    `worker-src 'self' blob:`,
    `frame-src 'none'`,
    `object-src 'none'`,
    `manifest-src 'none'`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/**
 * For every image the media route serves (browser mode and the desktop protocol): the bytes are
 * only ever an image, so nothing in them may run, load or frame anything, even when opened on
 * their own or when a file that is not an image got into the catalog's folder.
 */
export const MEDIA_CSP = `default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;
