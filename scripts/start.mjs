// `npm start`: the desktop app where Electron can run; otherwise the headless server (`flotilla serve`)
// with its UI served over HTTP. Either way the cluster starts with sandbox nodes where they can run.
// Electron gets the project directory (package.json: productName Flotilla, main out/main/index.js), so
// the app has its own name, data dir and single-instance lock, and better-sqlite3 built for Electron's
// ABI (scripts/electron-native.mjs; the Node build in node_modules stays for tests and `flotilla serve`).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronNativeAddon } from './electron-native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const p = require('electron'); // the path of the binary, when it was downloaded
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why Chromium's sandbox cannot start here, if it cannot: as root it refuses to; on Linux without
 * usable unprivileged user namespaces (Ubuntu 24.04's AppArmor restriction) it needs chrome-sandbox to
 * be SUID root, which it is not inside node_modules (electron/electron#42510).
 */
export function noSandboxReason(binary, platform = process.platform, uid = process.getuid?.()) {
  if (platform !== 'linux') return undefined;
  if (uid === 0) return 'running as root, where Chromium refuses its sandbox';
  let restricted = false;
  try {
    restricted = readFileSync('/proc/sys/kernel/apparmor_restrict_unprivileged_userns', 'utf8').trim() === '1';
  } catch { /* no such restriction */ }
  if (!restricted) return undefined;
  const helper = join(dirname(binary), 'chrome-sandbox');
  try {
    const st = statSync(helper);
    if (st.uid === 0 && (st.mode & 0o4000) !== 0) return undefined;
  } catch { /* missing */ }
  return `AppArmor restricts unprivileged user namespaces and ${helper} is not SUID root `
    + `(fix: sudo chown root:root ${helper} && sudo chmod 4755 ${helper})`;
}

async function startElectron(electron, extra) {
  const args = ['--js-flags=--max-semi-space-size=64'];
  const why = noSandboxReason(electron);
  if (why) {
    console.log(`Starting Electron with --no-sandbox: ${why}.`);
    args.push('--no-sandbox');
  }
  const addon = await electronNativeAddon(root);
  if (!addon.ok) {
    console.error(`flotilla: ${addon.message}`);
    process.exit(1);
  }
  return spawn(electron, [...args, root, ...extra], {
    stdio: 'inherit',
    env: { ...process.env, FLOTILLA_NODES: process.env.FLOTILLA_NODES ?? '2' },
  });
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) {
  const hasDisplay = process.platform === 'darwin' || process.platform === 'win32' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
  const electron = electronBinary();
  const extra = process.argv.slice(2);
  let child;
  if (electron && hasDisplay) {
    child = await startElectron(electron, extra);
  } else {
    const why = !electron ? 'the Electron binary is not installed' : 'there is no display';
    console.log(`Starting the headless server (${why}); open the UI URL it prints in a browser.`);
    const cli = join(root, 'out/main/cli.js');
    child = spawn(process.execPath, ['--max-semi-space-size=64', cli, 'serve', '--nodes', process.env.FLOTILLA_NODES ?? '2', ...extra], { stdio: 'inherit', cwd: root });
  }
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
