// Stand-ins for `limactl` and `multipass` that behave as the real tools do where the providers
// depend on it (limactl-stand-in.ts, multipass-stand-in.ts; facts and output shapes from the tools'
// sources, tests/fixtures/providers/README.md): small Node scripts put on PATH in a temp dir,
// logging every call (argv and LIMA_HOME) for the tests to check. Guest sshds (guest-sshd.ts) they
// start are listed in a registry and stopped by `cleanup`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { LIMACTL_JS } from './limactl-stand-in';
import { MULTIPASS_JS } from './multipass-stand-in';
import { GUEST_SSHD_JS, guestSshdLib, stopAllGuestSshds } from './guest-sshd';

const FIXTURES = path.join(__dirname, '../../fixtures/providers');

const COMMON = String.raw`
const fs = require('fs'); const path = require('path');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_STATE + '.calls', JSON.stringify({ argv: args, limaHome: process.env.LIMA_HOME || null }) + '\n');
const fail = (msg, code) => { process.stderr.write(msg + '\n'); process.exit(code || 1); };
const load = () => { try { return JSON.parse(fs.readFileSync(process.env.FAKE_STATE, 'utf8')); } catch { return { instances: {} }; } };
const save = (s) => fs.writeFileSync(process.env.FAKE_STATE, JSON.stringify(s));
`;

export interface StandIns {
  binDir: string;
  env: Record<string, string>;
  calls(): Array<{ argv: string[]; limaHome: string | null }>;
  /** The stand-in multipass's instances (the host's, shared by every data dir). */
  multipassState(): { instances: Record<string, { state: string; ipv4: string[]; cloudInit?: string }> };
  /** Puts instances the user made themselves into the stand-in multipass. */
  seedMultipass(instances: Record<string, { state: string; ipv4: string[] }>): void;
  /** Stops every guest sshd the stand-ins started. */
  cleanup(): Promise<void>;
}

/** Writes both stand-ins into dir/bin; returns the env that makes them work. */
export function writeStandIns(dir: string): StandIns {
  const binDir = path.join(dir, 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  const shebang = `#!${process.execPath}\n`;
  fs.writeFileSync(path.join(binDir, 'limactl'), shebang + COMMON + LIMACTL_JS, { mode: 0o755 });
  fs.writeFileSync(path.join(binDir, 'multipass'), shebang + COMMON + MULTIPASS_JS, { mode: 0o755 });
  fs.writeFileSync(path.join(binDir, 'guest-sshd.js'), GUEST_SSHD_JS);
  const state = path.join(dir, 'fake-state.json');
  const registry = path.join(dir, 'sshd-registry');
  return {
    binDir,
    env: {
      FAKE_STATE: state,
      FAKE_SSHD_REGISTRY: registry,
      FAKE_TIMEOUT_TEXT: path.join(FIXTURES, 'lima-VERSION-start-timeout.stderr'),
      FAKE_SERIAL_FAILED: path.join(FIXTURES, 'lima-serialv-provision-failed.log'),
      FAKE_YAML_MODULE: require.resolve('yaml'),
    },
    calls: () => {
      try {
        return fs.readFileSync(`${state}.calls`, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { argv: string[]; limaHome: string | null });
      } catch { return []; }
    },
    multipassState: () => {
      try { return JSON.parse(fs.readFileSync(state, 'utf8')) as ReturnType<StandIns['multipassState']>; } catch { return { instances: {} }; }
    },
    seedMultipass(instances) {
      const s = this.multipassState();
      fs.writeFileSync(state, JSON.stringify({ instances: { ...s.instances, ...instances } }));
    },
    cleanup: () => stopAllGuestSshds(registry, guestSshdLib(binDir)),
  };
}

export interface StandInSuite {
  /** The suite's temp dir (data dirs go under it). */
  readonly dir: string;
  readonly fakes: StandIns;
  /** Sets (undefined: unsets) an environment variable the stand-ins read, restored after the suite. */
  setEnv: (k: string, v: string | undefined) => void;
}

/** For a test file: stand-ins on PATH in a temp dir for its suites; afterwards their sshds stopped, env restored, dir removed. */
export function useStandIns(prefix: string): StandInSuite {
  const saved: Record<string, string | undefined> = {};
  let dir = '';
  let fakes: StandIns | undefined;
  const setEnv = (k: string, v: string | undefined): void => {
    if (!(k in saved)) saved[k] = process.env[k];
    if (v === undefined) delete process.env[k]; else process.env[k] = v;
  };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fakes = writeStandIns(dir);
    setEnv('PATH', `${fakes.binDir}:${process.env.PATH ?? ''}`);
    for (const [k, v] of Object.entries(fakes.env)) setEnv(k, v);
  });
  afterAll(async () => {
    await fakes?.cleanup();
    for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() { return dir; },
    get fakes() { if (!fakes) throw new Error('stand-ins are set up in beforeAll'); return fakes; },
    setEnv,
  };
}
