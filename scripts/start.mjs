// `npm start`: the desktop app where Electron can run; otherwise the headless server (`flotilla serve`)
// with its UI served over HTTP. Either way the cluster starts with sandbox nodes where they can run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

const hasDisplay = process.platform === 'darwin' || process.platform === 'win32' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
const electron = electronBinary();
const extra = process.argv.slice(2);

let child;
if (electron && hasDisplay) {
  child = spawn(electron, ['--js-flags=--max-semi-space-size=64', join(root, 'out/main/index.js'), ...extra], { stdio: 'inherit', env: { ...process.env, FLOTILLA_NODES: process.env.FLOTILLA_NODES ?? '2' } });
} else {
  const why = !electron ? 'the Electron binary is not installed' : 'there is no display';
  console.log(`Starting the headless server (${why}); open the UI URL it prints in a browser.`);
  child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', join(root, 'main/cli.ts'), 'serve', '--nodes', process.env.FLOTILLA_NODES ?? '2', ...extra], { stdio: 'inherit', cwd: root });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
