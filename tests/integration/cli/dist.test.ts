// `npm run dist`'s packaging step (scripts/dist.ts, the real electron-builder) where Electron's zip cannot
// be downloaded: an empty download cache and ELECTRON_MIRROR on a closed local port (deterministic, with or
// without internet). It fails with a message naming Electron's version, platform, arch and URL and how to
// provide it, instead of the bare "connect ECONNREFUSED". Needs the build (`npm run build`, which npm test runs).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/free-port';

const ROOT = path.resolve(__dirname, '../../..');
const built = fs.existsSync(path.join(ROOT, 'out/agent/images/pause.tar')) && fs.existsSync(path.join(ROOT, 'out/main/index.js'));
const electronVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const arch = process.arch === 'arm64' ? 'arm64' : 'x64';

describe.skipIf(!built && process.env.CI !== 'true')('npm run dist without the downloads', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-dist-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names the Electron zip it could not download and how to provide it', async () => {
    const port = await freePort();
    const env = {
      ...process.env, ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, electron_config_cache: path.join(dir, 'electron-cache'),
      ELECTRON_BUILDER_CACHE: path.join(dir, 'builder-cache'), FLOTILLA_DIST_OUTPUT: path.join(dir, 'dist'),
    };
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/dist.ts'), 'dir'], { cwd: ROOT, env, timeout: 120_000, killSignal: 'SIGKILL' },
        (err, _stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr }));
    });
    const url = `http://127.0.0.1:${port}/v${electronVersion}/electron-v${electronVersion}-linux-${arch}.zip`;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`npm run dist: electron-builder could not download Electron ${electronVersion} for linux-${arch} from ${url}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    expect(r.stderr).toContain(`To package here, put the zip into Electron's download cache ${path.join(dir, 'electron-cache')}, or set ELECTRON_MIRROR to a mirror that has it`);
    expect(fs.existsSync(path.join(dir, 'dist', 'linux-unpacked', 'flotilla'))).toBe(false);
  }, 150_000);
});
