import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Protocol } from 'electron';
import { MEDIA_SCHEME } from '../contract';
import type { BackendLink } from '../core/api/backend-link';
import { parseMediaPath } from '../core/media/media';
import { UserError } from '../core/util/errors';
import { MEDIA_CSP } from '../core/security/csp';

/**
 * `caudal-media://media/<kind>/<photoId>`: the only way images reach the renderer. Ids only; a
 * path, `..`, an encoded slash, a query, credentials or another host are answered 403 before the
 * backend is asked. The backend (on its thread) resolves the id and makes missing renditions; the
 * file is then streamed here without blocking the main thread.
 */
export async function handleMediaRequest(backend: Pick<BackendLink, 'media'>, url: string): Promise<Response> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return new Response('bad address', { status: 400 });
  }
  if (
    parsed.protocol !== `${MEDIA_SCHEME}:` ||
    parsed.host !== 'media' ||
    parsed.search ||
    url.includes('?') ||
    parsed.hash ||
    parsed.username ||
    parsed.password
  ) {
    return new Response('forbidden', { status: 403 });
  }
  let kind, photoId;
  try {
    ({ kind, photoId } = parseMediaPath(parsed.pathname));
  } catch {
    return new Response('forbidden', { status: 403 });
  }
  try {
    const media = await backend.media(kind, photoId);
    const body = Readable.toWeb(fs.createReadStream(media.file)) as ReadableStream;
    return new Response(body, { status: 200, headers: { 'Content-Type': media.mime, 'Content-Security-Policy': MEDIA_CSP, 'X-Content-Type-Options': 'nosniff', 'Access-Control-Allow-Origin': 'caudal-app://app' } });
  } catch (e) {
    const forbidden = e instanceof UserError && e.code === 'forbidden';
    return new Response(forbidden ? 'forbidden' : 'not found', { status: forbidden ? 403 : 404 });
  }
}

export const mediaSchemePrivileges = {
  scheme: MEDIA_SCHEME,
  // corsEnabled + the ACAO header let the review screen draw photos on a canvas and read them back.
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true },
};

export function registerMediaProtocol(protocol: Protocol, backend: Pick<BackendLink, 'media'>): void {
  protocol.handle(MEDIA_SCHEME, (req) => handleMediaRequest(backend, req.url));
}
