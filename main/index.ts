// The Electron entry: the app's name and data dir, one window, the app menu, a single-instance lock,
// secure defaults; starts the core and binds the bridge to IPC; a start-up failure is shown in a
// dialog (a taken API port offers a free one) before the app quits. Nothing else lives here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { app, BrowserWindow, dialog, Menu, session, shell } from 'electron';
import { startCore } from './core';
import { DEFAULT_REGISTRY_PORT } from './nodes/registry/builtin';
import type { Core } from './core';
import { bridgeDepsOf } from './bridge/handlers';
import { registerIpcBridge } from './bridge/ipc';
import { CSP } from './bridge/csp';
import { bundleRoot } from './nodes/assets';
import { defaultProvider } from './nodes/providers';
import { defaultLoadBalancerMode } from './api/load-balancer';

let win: BrowserWindow | undefined;
let core: Core | undefined;
let unbind: (() => void) | undefined;

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    title: 'Flotilla',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  w.once('ready-to-show', () => w.show());
  // Links and port forwards (http://127.0.0.1:<port>/, "Open") open in the browser; the window never navigates away from the app.
  w.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://') || /^http:\/\/127\.0\.0\.1:\d+\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  w.webContents.on('will-navigate', (e) => e.preventDefault());
  void w.loadFile(path.join(__dirname, '../renderer/index.html'));
  return w;
}

function buildMenu(): void {
  const mac = process.platform === 'darwin';
  Menu.setApplicationMenu(Menu.buildFromTemplate([
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ]));
}

const DEFAULT_API_PORT = 6443;

/** The API server's port: --api-port=N, else $FLOTILLA_API_PORT, else 6443 (0: any free port). */
function apiPort(): number {
  const arg = process.argv.find((a) => a.startsWith('--api-port='))?.slice('--api-port='.length);
  const v = Number(arg ?? process.env.FLOTILLA_API_PORT ?? DEFAULT_API_PORT);
  return Number.isInteger(v) && v >= 0 && v < 65536 ? v : DEFAULT_API_PORT;
}

/** A start-up failure: said in a dialog (never a running app without a window); a taken port may be swapped for a free one. */
async function startFailed(e: unknown): Promise<void> {
  console.error(e);
  const message = e instanceof Error ? e.message : String(e);
  const port = apiPort();
  if ((e as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE' && port !== 0) {
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: 'Flotilla could not start',
      message: `Port ${port} is in use by another program`,
      detail: `The Kubernetes API server listens on 127.0.0.1:${port}, which another program holds (Docker Desktop's or another local Kubernetes often does).\n\n`
        + 'Start on a free port instead (kubectl finds it in the kubeconfig Flotilla writes), or quit and start with --api-port=N or FLOTILLA_API_PORT=N.',
      buttons: ['Start on a free port', 'Quit'],
      defaultId: 0,
      cancelId: 1,
    });
    if (response === 0) app.relaunch({ args: [...process.argv.slice(1).filter((a) => !a.startsWith('--api-port=')), '--api-port=0'] });
  } else {
    await dialog.showMessageBox({ type: 'error', title: 'Flotilla could not start', message: 'Flotilla could not start', detail: message, buttons: ['Quit'] });
  }
  const c = core;
  core = undefined;
  unbind?.();
  await c?.stop().catch(() => undefined);
  app.exit(1);
}

async function start(): Promise<void> {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  buildMenu();
  // The node manager runs in the app as in `flotilla serve`: the UI's Add node creates Machines it provisions.
  const nodes = Number(process.env.FLOTILLA_NODES ?? 0) || 0;
  // The ingress proxy on the ports `flotilla serve` uses by default; a port another program holds leaves it off (logged).
  core = await startCore({
    dataDir: path.join(app.getPath('userData'), 'cluster'), apiPort: apiPort(), nodes: { nodes, hostRoutes: true },
    ingress: { httpPort: 8080, httpsPort: 8443, optional: true }, loadBalancer: defaultLoadBalancerMode(defaultProvider(), true),
    registry: { port: DEFAULT_REGISTRY_PORT, optional: true },
  });
  unbind = registerIpcBridge(bridgeDepsOf(core));
  win = createWindow();
}

// Our own name and data dir, whatever started us (the packaged app, `npm start`, or electron with a path):
// never "Electron"'s, shared with every other unpackaged Electron app.
app.setName('Flotilla');
// better-sqlite3 built for Electron's ABI (scripts/electron-native.mjs → out/native/, a package's resources/native/);
// node_modules keeps the Node build. Without it the store fails to open and the start-up dialog says so.
const electronSqlite = path.join(bundleRoot(), 'native', 'better_sqlite3.node');
if (process.versions.electron && !process.env.FLOTILLA_SQLITE_ADDON && fs.existsSync(electronSqlite)) process.env.FLOTILLA_SQLITE_ADDON = electronSqlite;
app.setPath('userData', path.join(app.getPath('appData'), 'Flotilla'));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (!win || win.isDestroyed()) win = createWindow();
  });
  app.on('will-quit', (e) => {
    if (!core) return;
    e.preventDefault();
    const c = core;
    core = undefined;
    unbind?.();
    void c.stop().finally(() => app.exit(0));
  });
  app.whenReady().then(start).catch((e: unknown) => startFailed(e)).catch(() => app.exit(1));
}
