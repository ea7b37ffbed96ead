import type { Protocol } from 'electron';
import { MEDIA_SCHEME } from '../contract';
import type { Backend } from '../core/api/backend';
import { parseMediaPath, resolveMedia } from '../core/media/media';
import { UserError } from '../core/util/errors';
import fs from 'node:fs';

/**
 * `caudal-media://media/<kind>/<photoId>`: the only way images reach the renderer. Ids only;
 * a path, `..`, or anything unexpected is answered 403 without touching the disk.
 */
export async function handleMediaRequest(backend: Backend, url: string): Promise<Response> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return new Response('bad address', { status: 400 });
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.host !== 'media' || parsed.search || parsed.username || parsed.password) {
    return new Response('forbidden', { status: 403 });
  }
  try {
    const { kind, photoId } = parseMediaPath(parsed.pathname);
    const media = await resolveMedia(backend.catalog, kind, photoId);
    return new Response(fs.readFileSync(media.file), { status: 200, headers: { 'Content-Type': media.mime, 'X-Content-Type-Options': 'nosniff' } });
  } catch (e) {
    const forbidden = e instanceof UserError && e.code === 'forbidden';
    return new Response(forbidden ? 'forbidden' : 'not found', { status: forbidden ? 403 : 404 });
  }
}

export const mediaSchemePrivileges = {
  scheme: MEDIA_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
};

export function registerMediaProtocol(protocol: Protocol, backend: Backend): void {
  protocol.handle(MEDIA_SCHEME, (req) => handleMediaRequest(backend, req.url));
}
