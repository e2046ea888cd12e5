// better-sqlite3 for Electron's ABI, beside the Node build: node_modules/better-sqlite3 stays compiled for
// Node (tests, `flotilla serve`); a copy is rebuilt with @electron/rebuild into out/native/ and the Electron
// main process loads that one (main/index.ts sets FLOTILLA_SQLITE_ADDON; electron-builder ships it as
// extraResources native/). Run by `npm start` (Electron) and `npm run dist`; never by npm ci or npm test.
// `node scripts/electron-native.mjs` builds it; a failure names what is missing (e.g. Electron's headers).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export function electronVersion(root) {
  return JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
}

/** out/native/better_sqlite3.node for the installed Electron: built when missing or for another version. */
export async function electronNativeAddon(root) {
  const version = electronVersion(root);
  const outDir = join(root, 'out/native');
  const addon = join(outDir, 'better_sqlite3.node');
  const stamp = join(outDir, 'electron-version');
  if (existsSync(addon) && existsSync(stamp) && readFileSync(stamp, 'utf8') === version) return { ok: true, path: addon };
  const staging = join(root, 'out/native-build');
  rmSync(staging, { recursive: true, force: true });
  const src = join(root, 'node_modules/better-sqlite3');
  const copy = join(staging, 'node_modules/better-sqlite3');
  mkdirSync(copy, { recursive: true });
  cpSync(src, copy, { recursive: true, filter: (f) => !f.startsWith(join(src, 'build')) });
  const pkg = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'flotilla-native', version: '0.0.0', dependencies: { 'better-sqlite3': pkg.version } }));
  console.log(`Building better-sqlite3 ${pkg.version} for Electron ${version} (once; into out/native/) …`);
  try {
    const { rebuild } = require('@electron/rebuild');
    await rebuild({ buildPath: staging, electronVersion: version, onlyModules: ['better-sqlite3'], force: true, buildFromSource: true });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    const cause = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      message: `could not build better-sqlite3 for Electron ${version}'s ABI: ${cause.split('\n')[0]}\n`
        + `  It needs Electron's headers (https://electronjs.org/headers/v${version}/node-v${version}-headers.tar.gz, cached in ~/.electron-gyp)`
        + ' and a C++ toolchain (make, g++, python3). The Node build used by tests and `flotilla serve` is untouched.',
    };
  }
  const built = join(copy, 'build/Release/better_sqlite3.node');
  if (!existsSync(built)) return { ok: false, message: `@electron/rebuild finished but ${built} is missing` };
  mkdirSync(outDir, { recursive: true });
  cpSync(built, addon);
  writeFileSync(stamp, version);
  rmSync(staging, { recursive: true, force: true });
  return { ok: true, path: addon };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await electronNativeAddon(join(dirname(fileURLToPath(import.meta.url)), '..'));
  if (!r.ok) {
    console.error(`flotilla: ${r.message}`);
    process.exit(1);
  }
  console.log(r.path);
}
