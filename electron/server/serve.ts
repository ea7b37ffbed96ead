import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { isRequestName } from '../contract';
import { Backend } from '../core/api/backend';
import { parseMediaPath, resolveMedia } from '../core/media/media';
import { contentSecurityPolicy, MEDIA_CSP } from '../core/security/csp';
import { UserError } from '../core/util/errors';
import { mapError } from '../core/util/error-map';
import { validateRequest } from '../core/api/validate-request';
import { appRoot } from '../core/util/paths';
import { rendererType } from '../core/util/renderer-types';

export interface ServeOptions {
  catalogFile: string;
  port?: number;
  host?: string;
  /** Built renderer (index.html and assets). */
  rendererDir?: string;
  token?: string;
}

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  backend: Backend;
  close(): Promise<void>;
}

const COOKIE = 'caudal_token';

export const defaultRendererDir = (): string => path.join(appRoot(), 'out', 'renderer');

/**
 * Browser mode: the renderer and the same contract handlers over HTTP (requests, media) and a
 * WebSocket (pushed events). Local-only by default; every request must carry the per-run token
 * (the printed URL sets it as an HttpOnly cookie) and come from our own Origin and Host, which
 * shuts out other pages in the browser and DNS-rebinding.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new UserError(`the renderer is not built (no ${path.join(rendererDir, 'index.html')}): run \`npm run build\``, 'not-built');
  }
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const backend = new Backend(opts.catalogFile);
  const csp = contentSecurityPolicy('http');
  let port = 0;

  const allowedHosts = (): Set<string> => new Set([`${host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const tokenOk = (t: string | undefined): boolean => {
    if (!t) return false;
    const b = Buffer.from(t);
    return b.length === tokenBuf.length && crypto.timingSafeEqual(b, tokenBuf);
  };
  const cookieToken = (req: http.IncomingMessage): string | undefined =>
    (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([k]) => k === COOKIE)?.[1];
  const originOk = (req: http.IncomingMessage): boolean => {
    if (!allowedHosts().has(req.headers.host ?? '')) return false;
    const origin = req.headers.origin;
    return origin === undefined || allowedHosts().has(origin.replace(/^http:\/\//, ''));
  };
  const authorised = (req: http.IncomingMessage, url: URL): boolean =>
    tokenOk(cookieToken(req)) || tokenOk(req.headers['x-caudal-token'] as string | undefined) || tokenOk(url.searchParams.get('token') ?? undefined);

  const send = (res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: http.OutgoingHttpHeaders = {}) => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      ...extra,
    });
    res.end(body);
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    if (!originOk(req)) return send(res, 403, 'forbidden: wrong Host or Origin');
    if (!authorised(req, url)) return send(res, 401, 'Open the address that `caudal serve` printed (it carries the access token).');
    const setCookie = url.searchParams.has('token') ? { 'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` } : {};
    try {
      if (url.pathname === '/api/request' && req.method === 'POST') {
        const body = await readBody(req, 32 * 1024 * 1024);
        let msg: { name?: unknown; params?: unknown };
        try {
          msg = JSON.parse(body);
        } catch {
          return send(res, 400, JSON.stringify({ ok: false, error: { message: 'request body is not JSON', code: 'bad-request' } }), 'application/json');
        }
        if (!isRequestName(msg.name)) {
          return send(res, 404, JSON.stringify({ ok: false, error: { message: `unknown request '${String(msg.name)}'`, code: 'bad-request' } }), 'application/json');
        }
        try {
          const result = await backend.request(msg.name, validateRequest(msg.name, msg.params));
          return send(res, 200, JSON.stringify({ ok: true, result: result ?? null }), 'application/json');
        } catch (e) {
          const m = mapError(e, `http ${msg.name}`);
          return send(res, m.status, JSON.stringify({ ok: false, error: m.reply }), 'application/json');
        }
      }
      if (url.pathname.startsWith('/media/') && req.method === 'GET') {
        let media;
        try {
          const { kind, photoId } = parseMediaPath(url.pathname.slice('/media/'.length));
          media = await resolveMedia(backend.catalog, kind, photoId);
        } catch (e) {
          return send(res, e instanceof UserError && e.code === 'forbidden' ? 403 : 404, (e as Error).message);
        }
        res.writeHead(200, { 'Content-Type': media.mime, 'Content-Security-Policy': MEDIA_CSP, 'Cache-Control': 'private, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
        fs.createReadStream(media.file).pipe(res);
        return;
      }
      if (req.method === 'GET') return serveStatic(rendererDir, url.pathname, res, send, setCookie);
      return send(res, 405, 'method not allowed');
    } catch (e) {
      return send(res, 500, (e as Error).message);
    }
  });

  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    if (url.pathname !== '/api/events' || !originOk(req) || !authorised(req, url)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });
  const offEvents = backend.onEvent((event, payload) => {
    const data = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(data);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    port,
    backend,
    async close() {
      offEvents();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await backend.close();
    },
  };
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new UserError('request too large', 'bad-request'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function serveStatic(
  root: string,
  pathname: string,
  res: http.ServerResponse,
  send: (res: http.ServerResponse, status: number, body: string | Buffer, type?: string, extra?: http.OutgoingHttpHeaders) => void,
  extra: http.OutgoingHttpHeaders,
): void {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return send(res, 400, 'bad path');
  }
  const file = path.resolve(root, `.${rel === '/' ? '/index.html' : rel}`);
  if (!file.startsWith(path.resolve(root) + path.sep)) return send(res, 403, 'forbidden');
  // Unknown paths are app routes: serve the app and let it route.
  const target = fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(root, 'index.html');
  send(res, 200, fs.readFileSync(target), rendererType(target) ?? 'application/octet-stream', extra);
}
