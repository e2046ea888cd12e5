// The bridge over Electron IPC: one session per window, ended when the window's contents go away.
import { ipcMain } from 'electron';
import type { WebContents } from 'electron';
import { IPC_CALL, IPC_EVENT } from './contract';
import type { IpcReply } from './contract';
import type { BridgeDeps } from './handlers';
import { createClusterSession } from './clusters/session';
import { closeRemoteForwards } from './clusters/remote-forwards';
import type { BridgeSession } from './handlers';
import { encodedValue } from './list-cache';

/** Binds the bridge to ipcMain; returns the disposer. */
export function registerIpcBridge(deps: BridgeDeps): () => void {
  const sessions = new Map<number, BridgeSession>();
  const watched = new Set<number>();
  const end = (id: number) => {
    sessions.get(id)?.dispose();
    sessions.delete(id);
  };
  const sessionOf = (wc: WebContents): BridgeSession => {
    let s = sessions.get(wc.id);
    if (!s) {
      s = createClusterSession(deps, (event, payload) => {
        if (!wc.isDestroyed()) wc.send(IPC_EVENT, event, payload);
      });
      sessions.set(wc.id, s);
    }
    if (!watched.has(wc.id)) {
      watched.add(wc.id);
      const id = wc.id;
      wc.once('destroyed', () => {
        end(id);
        watched.delete(id);
      });
      // A reload starts a fresh renderer: the old one's watches and streams must go.
      wc.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) end(id);
      });
    }
    return s;
  };
  deps.listCache?.warm();
  ipcMain.handle(IPC_CALL, async (e, name: unknown, req: unknown): Promise<IpcReply> => {
    // Only the app's own pages (loaded from disk) may use the bridge.
    if (!e.senderFrame?.url.startsWith('file://')) return { ok: false, error: { code: 403, reason: 'Forbidden', message: 'the bridge serves the app window only' } };
    if (typeof name !== 'string') return { ok: false, error: { code: 400, reason: 'BadRequest', message: 'call name must be a string' } };
    const session = sessionOf(e.sender);
    const encoded = await encodedValue(session, name, req);
    return encoded === undefined ? session.call(name, req) : { ok: true, encoded };
  });
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    deps.listCache?.stop();
    for (const s of sessions.values()) s.dispose();
    sessions.clear();
    void closeRemoteForwards(deps);
  };
}
