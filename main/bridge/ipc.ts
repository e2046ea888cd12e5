// The bridge over Electron IPC: one session per window, ended when the window's contents go away.
import { ipcMain } from 'electron';
import type { WebContents } from 'electron';
import { IPC_CALL, IPC_EVENT } from './contract';
import type { BridgeDeps } from './handlers';
import { createBridgeSession } from './handlers';
import type { BridgeSession } from './handlers';

/** Binds the bridge to ipcMain; returns the disposer. */
export function registerIpcBridge(deps: BridgeDeps): () => void {
  const sessions = new Map<number, BridgeSession>();
  const sessionOf = (wc: WebContents): BridgeSession => {
    let s = sessions.get(wc.id);
    if (!s) {
      const session = createBridgeSession(deps, (event, payload) => {
        if (!wc.isDestroyed()) wc.send(IPC_EVENT, event, payload);
      });
      sessions.set(wc.id, session);
      const end = () => {
        session.dispose();
        sessions.delete(wc.id);
      };
      wc.once('destroyed', end);
      // A reload starts a fresh renderer: its old watches must go.
      wc.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) end();
      });
      s = session;
    }
    return s;
  };
  ipcMain.handle(IPC_CALL, (e, name: unknown, req: unknown) => {
    if (typeof name !== 'string') return { ok: false, error: { code: 400, reason: 'BadRequest', message: 'call name must be a string' } };
    return sessionOf(e.sender).call(name, req);
  });
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    for (const s of sessions.values()) s.dispose();
    sessions.clear();
  };
}
