import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Protocol } from 'electron';
import { rendererType } from '../core/util/renderer-types';

/**
 * `caudal-app://app/<file>`: the built renderer, served from `out/renderer` only. A custom scheme
 * instead of file:// gives the page a real origin (CSP 'self' and the IPC sender check mean exactly
 * our bundle, not any file on disk) and lets every response carry the CSP header.
 */
export const APP_SCHEME = 'caudal-app';
export const APP_HOST = 'app';
export const appIndexUrl = `${APP_SCHEME}://${APP_HOST}/index.html`;

export const appSchemePrivileges = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

export function handleAppRequest(rendererDir: string, url: string, csp: string): Response {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return new Response('bad address', { status: 400 });
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username || parsed.password) {
    return new Response('forbidden', { status: 403 });
  }
  let rel: string;
  try {
    rel = decodeURIComponent(parsed.pathname);
  } catch {
    return new Response('forbidden', { status: 403 });
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${rel}`);
  // `..`, encoded or not, and absolute paths must not leave the renderer folder.
  if (rel.includes('\0') || rel.includes('\\') || !file.startsWith(root + path.sep)) return new Response('forbidden', { status: 403 });
  const type = rendererType(file);
  if (!type || !fs.existsSync(file) || !fs.statSync(file).isFile()) return new Response('not found', { status: 404 });
  const body = Readable.toWeb(fs.createReadStream(file)) as ReadableStream;
  return new Response(body, {
    status: 200,
    headers: { 'Content-Type': type, 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' },
  });
}

export function registerAppProtocol(protocol: Protocol, rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, (req) => handleAppRequest(rendererDir, req.url, csp));
}
