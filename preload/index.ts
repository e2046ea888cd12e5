// Exposes the bridge to the renderer as window.flotilla, typed from the contract; nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT } from '../main/bridge/contract';
import type { BridgeEvents, CallName, EventName, IpcReply, PreloadApi } from '../main/bridge/contract';

const api: PreloadApi = {
  call(name: CallName, req: unknown): Promise<IpcReply> {
    return ipcRenderer.invoke(IPC_CALL, name, req) as Promise<IpcReply>;
  },
  on<E extends EventName>(name: E, listener: (payload: BridgeEvents[E]) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: unknown, payload: unknown) => {
      if (event === name) listener(payload as BridgeEvents[E]);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
};

contextBridge.exposeInMainWorld('flotilla', api);
