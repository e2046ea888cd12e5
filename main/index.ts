// The Electron entry: one window, the app menu, a single-instance lock, secure defaults; starts
// the core and binds the bridge to IPC. Nothing else lives here.
import * as path from 'node:path';
import { app, BrowserWindow, Menu, session, shell } from 'electron';
import { startCore } from './core';
import type { Core } from './core';
import { bridgeDepsOf } from './bridge/handlers';
import { registerIpcBridge } from './bridge/ipc';
import { CSP } from './bridge/csp';

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
  // Links open in the browser; the window never navigates away from the app.
  w.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
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

async function start(): Promise<void> {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  buildMenu();
  // The node manager runs in the app as in `flotilla serve`: the UI's Add node creates Machines it provisions.
  core = await startCore({ dataDir: path.join(app.getPath('userData'), 'cluster'), nodes: { nodes: Number(process.env.FLOTILLA_NODES ?? 0) || 0 } });
  unbind = registerIpcBridge(bridgeDepsOf(core));
  win = createWindow();
}

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
  app.whenReady().then(start, (e: unknown) => {
    console.error(e);
    app.exit(1);
  });
}
