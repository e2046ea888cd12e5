// `npm run dist` (after `npm run build` and scripts/electron-native.mjs): checks that the build holds what
// the package ships (the agent and the node images for amd64 and arm64, so that no Mac ever compiles them),
// then runs electron-builder with electron-builder.yml. A download electron-builder cannot make fails with
// a message naming the file (dist-errors.ts) instead of the bare network error. Extra arguments go to
// electron-builder as targets of the host's platform (e.g. `dir`); FLOTILLA_DIST_OUTPUT overrides dist/.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'electron-builder';
import { downloadFailure, downloadFailureMessage } from './dist-errors';

const root = resolve(__dirname, '..');
const SHIPPED = ['out/main/index.js', 'out/agent/agent.js', 'out/agent/images/pause.tar', 'out/agent/images/hello.tar', 'out/agent/images/counter.tar'];

async function main(): Promise<number> {
  const missing = SHIPPED.filter((f) => !existsSync(join(root, f)));
  if (missing.length) {
    console.error(`npm run dist: the build lacks ${missing.join(', ')}; run \`npm run build\` on Linux first (the node images are built there, for amd64 and arm64)`);
    return 1;
  }
  const targets = process.argv.slice(2);
  const platform = process.platform === 'darwin' ? 'mac' : process.platform === 'win32' ? 'win' : 'linux';
  const output = process.env.FLOTILLA_DIST_OUTPUT;
  try {
    await build({
      projectDir: root,
      publish: 'never',
      ...(targets.length ? { [platform]: targets } : {}),
      ...(output ? { config: { directories: { output: resolve(output) } } } : {}),
    });
    return 0;
  } catch (e) {
    const failure = downloadFailure(e);
    console.error(failure ? downloadFailureMessage(failure) : `npm run dist: electron-builder failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return 1;
  }
}

// electron-builder's HTTP client can keep the process alive after a failed download: exit explicitly.
void main().then((code) => process.exit(code));
