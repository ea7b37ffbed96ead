// Runs in a sandboxed preload: the only runtime import allowed is 'electron'. The build bundles
// the contract constants in. The page gets this narrow object, never ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  IPC_REQUEST_CHANNEL,
  MEDIA_SCHEME,
  RequestFailed,
  type CaudalBridge,
  type ContractError,
  type EventName,
  type Events,
  type MediaKind,
  type Params,
  type RequestName,
  type Result,
} from '../contract';

const bridge: CaudalBridge = {
  transport: 'ipc',
  async request<N extends RequestName>(name: N, params: Params<N>): Promise<Result<N>> {
    const reply = (await ipcRenderer.invoke(IPC_REQUEST_CHANNEL, name, params)) as
      | { ok: true; result: Result<N> }
      | { ok: false; error: ContractError };
    if (!reply.ok) throw new RequestFailed(reply.error);
    return reply.result;
  },
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
    const handler = (_e: IpcRendererEvent, msg: { event: EventName; payload: unknown }) => {
      if (msg.event === event) listener(msg.payload as Events[E]);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
  mediaUrl: (kind: MediaKind, photoId: number) => `${MEDIA_SCHEME}://media/${kind}/${photoId}`,
};

contextBridge.exposeInMainWorld('caudal', bridge);
