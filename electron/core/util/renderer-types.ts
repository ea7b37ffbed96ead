import path from 'node:path';

/** Content types of the built renderer's files, for both shells that serve them (app:// and `caudal serve`). */
const RENDERER_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The content type of a renderer file, or undefined for a kind the renderer does not ship. */
export function rendererType(file: string): string | undefined {
  return RENDERER_TYPES[path.extname(file).toLowerCase()];
}
