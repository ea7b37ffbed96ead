import { RequestFailed, type CaudalBridge, type ContractError, type EventName, type Events, type MediaKind, type Params, type RequestName, type Result } from '../../../electron/contract';

/**
 * Browser mode: requests are POSTs, events arrive on one WebSocket that reconnects. The access
 * token lives in an HttpOnly cookie set by the first page load, so nothing here handles it.
 */
export function createHttpBridge(base = ''): CaudalBridge {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 250;

  const connect = () => {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${proto}://${location.host}${base}/api/events`);
    socket.onopen = () => {
      retry = 250;
    };
    socket.onmessage = (m) => {
      const { event, payload } = JSON.parse(String(m.data)) as { event: EventName; payload: unknown };
      listeners.get(event)?.forEach((l) => l(payload));
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, (retry = Math.min(retry * 2, 5000)));
    };
  };

  return {
    transport: 'http',
    async request<N extends RequestName>(name: N, params: Params<N>): Promise<Result<N>> {
      const res = await fetch(`${base}/api/request`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, params }),
        credentials: 'same-origin',
      });
      const text = await res.text();
      let body: { ok: boolean; result?: Result<N>; error?: ContractError };
      try {
        body = JSON.parse(text);
      } catch {
        throw new RequestFailed({ message: `${name}: ${res.status} ${text.slice(0, 200)}`, code: 'transport' });
      }
      if (!body.ok) throw new RequestFailed(body.error ?? { message: `${name} failed`, code: 'internal' });
      return body.result as Result<N>;
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
      if (!socket) connect();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
    mediaUrl: (kind: MediaKind, photoId: number) => `${base}/media/${kind}/${photoId}`,
  };
}
