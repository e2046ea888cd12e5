// A stand-in for the `electron` module (see register.js). It speaks to the test over Node's IPC channel:
// it reports windows, dialogs, relaunches and exits; the test's {type: 'call'} messages go to the handler
// the app registered with ipcMain.handle, as if the window had called it; {type: 'quit'} quits the app.
// Paths follow Electron on Linux: appData is $XDG_CONFIG_HOME (or ~/.config), userData appData/<name>.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, loaded with node --require before the bundle */
const { EventEmitter } = require('node:events');
const os = require('node:os');
const path = require('node:path');

const report = (msg) => process.send?.(msg);
const handlers = new Map();
const windows = [];

const appData = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
const paths = { appData, userData: path.join(appData, 'Electron'), home: os.homedir(), temp: os.tmpdir() };

class App extends EventEmitter {
  name = 'Electron';
  getName() { return this.name; }
  setName(n) { this.name = n; }
  getPath(n) {
    if (!(n in paths)) throw new Error(`fake electron: no path ${n}`);
    return paths[n];
  }
  setPath(n, p) { paths[n] = p; }
  requestSingleInstanceLock() {
    report({ type: 'lock', name: this.name, userData: paths.userData });
    return true;
  }
  whenReady() { return Promise.resolve(); }
  relaunch(opts) { report({ type: 'relaunch', args: opts?.args ?? [] }); }
  quit() {
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => { prevented = true; } });
    if (!prevented) this.exit(0);
  }
  exit(code = 0) {
    report({ type: 'exit', code });
    process.exitCode = code;
    setImmediate(() => process.exit(code));
  }
}
const app = new App();

let ids = 0;
class WebContents extends EventEmitter {
  id = ++ids;
  url = '';
  isDestroyed() { return false; }
  send(channel, ...args) { report({ type: 'send', channel, args }); }
  setWindowOpenHandler() {}
}

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    windows.push(this);
  }
  loadFile(file) {
    this.webContents.url = `file://${file}`;
    report({ type: 'window', file, preload: this.options?.webPreferences?.preload });
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {}
  isDestroyed() { return false; }
  isMinimized() { return false; }
  restore() {}
  focus() {}
}

const ipcMain = {
  handle(channel, fn) { handlers.set(channel, fn); },
  removeHandler(channel) { handlers.delete(channel); },
};

const dialog = {
  showMessageBox(opts) {
    report({ type: 'dialog', opts });
    return Promise.resolve({ response: Number(process.env.FAKE_ELECTRON_DIALOG_RESPONSE ?? 0), checkboxChecked: false });
  },
  showErrorBox(title, content) { report({ type: 'dialog', opts: { title, detail: content } }); },
};

process.on('message', (m) => {
  if (m.type === 'quit') app.quit();
  if (m.type !== 'call') return;
  const h = handlers.get(m.channel);
  const wc = windows.at(-1)?.webContents;
  if (!h || !wc) {
    report({ type: 'result', id: m.id, result: { ok: false, error: { code: 503, reason: 'NotReady', message: 'no handler or window yet' } } });
    return;
  }
  Promise.resolve(h({ sender: wc, senderFrame: { url: wc.url } }, ...m.args)).then(
    (result) => report({ type: 'result', id: m.id, result }),
    (e) => report({ type: 'result', id: m.id, result: { ok: false, error: { code: 500, reason: 'Thrown', message: String(e?.stack ?? e) } } }),
  );
});
// The IPC channel must not keep the app alive on its own, as no window does in Electron either.
process.channel?.unref();

module.exports = {
  app,
  BrowserWindow,
  ipcMain,
  dialog,
  Menu: { setApplicationMenu() {}, buildFromTemplate: (t) => t },
  session: { defaultSession: { webRequest: { onHeadersReceived() {} }, setPermissionRequestHandler() {} } },
  shell: { openExternal: () => Promise.resolve() },
};
