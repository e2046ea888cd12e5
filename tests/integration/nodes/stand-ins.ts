// Stand-ins for `limactl` and `multipass`, following their documented behaviour (PROVIDERS.md and
// tests/fixtures/providers): small Node scripts put on PATH in a temp dir, keeping instances in a
// JSON state file and logging every call (argv and LIMA_HOME) for the tests to check.
import * as fs from 'node:fs';
import * as path from 'node:path';

const FIXTURES = path.join(__dirname, '../../fixtures/providers');

const COMMON = `
const fs = require('fs'); const path = require('path');
const callLog = process.env.FAKE_STATE + '.calls';
// Lima keeps instances per LIMA_HOME; multipass has one global set.
const stateFile = process.env.LIMA_HOME ? path.join(process.env.LIMA_HOME, 'fake-state.json') : process.env.FAKE_STATE;
const load = () => { try { return JSON.parse(fs.readFileSync(stateFile, 'utf8')); } catch { return { instances: {} }; } };
const save = (s) => { fs.mkdirSync(path.dirname(stateFile), { recursive: true }); fs.writeFileSync(stateFile, JSON.stringify(s)); };
const args = process.argv.slice(2);
fs.appendFileSync(callLog, JSON.stringify({ argv: args, limaHome: process.env.LIMA_HOME || null }) + '\\n');
const fail = (msg, code) => { process.stderr.write(msg + '\\n'); process.exit(code || 1); };
`;

const LIMACTL = `${COMMON}
const home = process.env.LIMA_HOME || fail('LIMA_HOME not set (the fake refuses to touch ~/.lima)');
const s = load();
const flag = (n) => { const a = args.find((x) => x.startsWith('--' + n + '=')); return a ? a.slice(n.length + 3) : undefined; };
const line = (name, i) => JSON.stringify({ name, hostname: 'lima-' + name, status: i.status, dir: path.join(home, name), vmType: 'qemu', arch: 'x86_64',
  cpus: i.cpus, memory: i.memory, disk: i.disk, sshLocalPort: i.status === 'Running' ? i.port : 0, sshConfigFile: path.join(home, name, 'ssh.config'),
  sshAddress: '127.0.0.1', protected: false, limaVersion: '1.0.3', LimaHome: home, IdentityFile: path.join(home, '_config', 'user') });
const writeSsh = (name, port) => fs.writeFileSync(path.join(home, name, 'ssh.config'),
  'Host lima-' + name + '\\n  IdentityFile "' + path.join(home, '_config', 'user') + '"\\n  User me\\n  Hostname 127.0.0.1\\n  Port ' + port + '\\n');
switch (args[0]) {
  case '--version': console.log('limactl version 1.0.3'); break;
  case 'list': {
    if (!args.includes('--json')) fail('the fake only speaks --json');
    for (const [n, i] of Object.entries(s.instances)) console.log(line(n, i));
    break;
  }
  case 'start': {
    const name = flag('name') || args.filter((a) => !a.startsWith('--'))[1];
    if (!name) fail('name required');
    const template = flag('name') ? args[args.length - 1] : undefined;
    if (template && !fs.existsSync(template)) fail('template ' + template + ' not found');
    const setIdx = args.indexOf('--set');
    if (template && (setIdx < 0 || !/^\\.param\\.FLOTILLA_PUBKEY = "ssh-ed25519 /.test(args[setIdx + 1]))) fail('expected the public key as a param');
    fs.mkdirSync(path.join(home, name), { recursive: true });
    if (process.env.FAKE_BOOT_FAIL) {
      fs.writeFileSync(path.join(home, name, 'serial.log'), '[    0.000000] Linux version 6.8.0-45-generic\\n[   12.345678] cloud-init[812]: apt-get update failed: Temporary failure resolving archive.ubuntu.com\\n');
      s.instances[name] = { status: 'Stopped', cpus: 2, memory: 0, disk: 0, port: 0 };
      save(s);
      fail(fs.readFileSync(process.env.FAKE_TIMEOUT_TEXT, 'utf8').trimEnd());
    }
    const i = s.instances[name] || { cpus: Number(flag('cpus') || 2), memory: Number(flag('memory') || 2) * 1073741824, disk: Number(flag('disk') || 10) * 1073741824, port: 60022 + Object.keys(s.instances).length };
    i.status = 'Running';
    s.instances[name] = i;
    writeSsh(name, i.port);
    save(s);
    console.error('time="x" level=info msg="READY. Run \`limactl shell ' + name + '\` to open the shell."');
    break;
  }
  case 'stop': { const n = args.filter((a) => !a.startsWith('-'))[1]; if (!s.instances[n]) fail('instance ' + n + ' not found'); s.instances[n].status = 'Stopped'; save(s); break; }
  case 'delete': { const n = args.filter((a) => !a.startsWith('-'))[1]; if (!s.instances[n]) fail('instance ' + n + ' not found'); delete s.instances[n]; fs.rmSync(path.join(home, n), { recursive: true, force: true }); save(s); break; }
  case 'shell': {
    const n = args.filter((a) => !a.startsWith('--'))[1];
    if (!s.instances[n] || s.instances[n].status !== 'Running') fail('instance ' + n + ' is not running');
    if (args.slice(args.indexOf(n) + 1).join(' ') !== 'ip -4 -j addr show') fail('unexpected shell command');
    process.stdout.write(fs.readFileSync(process.env.FAKE_IP_JSON, 'utf8'));
    break;
  }
  default: fail('unknown command ' + args[0]);
}
`;

const MULTIPASS = `${COMMON}
const s = load();
const opt = (n) => { const i = args.indexOf('--' + n); return i >= 0 ? args[i + 1] : undefined; };
switch (args[0]) {
  case 'version': console.log('multipass   1.14.0\\nmultipassd  1.14.0'); break;
  case 'launch': {
    const name = opt('name');
    const ci = opt('cloud-init');
    if (!name || !ci) fail('launch needs --name and --cloud-init here');
    const text = fs.readFileSync(ci, 'utf8');
    if (text.includes('__FLOTILLA_PUBKEY__') || !/ssh-ed25519 /.test(text)) fail('cloud-init without our key');
    if (process.env.FAKE_BOOT_FAIL) fail('launch failed: The following errors occurred:\\ntimed out waiting for response');
    s.instances[name] = { state: 'Running', ipv4: ['10.74.70.' + (140 + Object.keys(s.instances).length)] };
    save(s);
    console.log('Launched: ' + name);
    break;
  }
  case 'info': {
    const name = args[1];
    const i = s.instances[name];
    if (!i) fail('info failed: The following errors occurred:\\ninstance "' + name + '" does not exist', 2);
    const info = {}; info[name] = { cpu_count: '2', disks: { sda1: {} }, image_hash: 'c5f2', image_release: '24.04 LTS', ipv4: i.state === 'Running' ? i.ipv4 : [], load: [], memory: {}, mounts: {}, release: 'Ubuntu 24.04.1 LTS', snapshot_count: '0', state: i.state };
    console.log(JSON.stringify({ errors: [], info }, null, 4));
    break;
  }
  case 'stop': case 'start': { const i = s.instances[args[1]]; if (!i) fail('instance "' + args[1] + '" does not exist', 2); i.state = args[0] === 'stop' ? 'Stopped' : 'Running'; save(s); break; }
  case 'delete': { const n = args.filter((a) => !a.startsWith('--'))[1]; if (!args.includes('--purge')) fail('expected --purge'); delete s.instances[n]; save(s); break; }
  default: fail('unknown command ' + args[0]);
}
`;

export interface StandIns {
  binDir: string;
  env: Record<string, string>;
  calls(): Array<{ argv: string[]; limaHome: string | null }>;
}

/** Writes both stand-ins into dir/bin; returns the env that makes them work. */
export function writeStandIns(dir: string): StandIns {
  const binDir = path.join(dir, 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  const shebang = `#!${process.execPath}\n`;
  fs.writeFileSync(path.join(binDir, 'limactl'), shebang + LIMACTL, { mode: 0o755 });
  fs.writeFileSync(path.join(binDir, 'multipass'), shebang + MULTIPASS, { mode: 0o755 });
  const state = path.join(dir, 'fake-state.json');
  return {
    binDir,
    env: { FAKE_STATE: state, FAKE_IP_JSON: path.join(FIXTURES, 'lima-ip-addr.json'), FAKE_TIMEOUT_TEXT: path.join(FIXTURES, 'lima-start-timeout.txt') },
    calls: () => {
      try {
        return fs.readFileSync(`${state}.calls`, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { argv: string[]; limaHome: string | null });
      } catch { return []; }
    },
  };
}
