// The stand-in `limactl` (a Node script; see stand-ins.ts). It behaves as Lima 1.x or 2.2
// ($FAKE_LIMA_VERSION, default 1.0.3) does where the provider depends on it — output shapes as in
// tests/fixtures/providers — and emulates the guest:
// - instances are directories in LIMA_HOME (lima.yaml copied from the template at create); `list`
//   walks them like store.Instances, and one without lima.yaml stops a 1.x list (exit 1, no
//   output) but is listed Broken by 2.2;
// - `start` refuses an instance whose longest socket path reaches UNIX_PATH_MAX
//   ($FAKE_UNIX_PATH_MAX, default Linux's 108) and makes LIMA_HOME's _config/user key as Lima does
//   (check, ssh-keygen's time, lock, no second check: two first starts at once fail one of them);
// - every boot is a new cloud-init instance-id: the guest's ed25519 host key is made anew unless a
//   file the provisioning wrote under /etc/cloud/cloud.cfg.d/ says `ssh_deletekeys: false`;
//   provisioning writes what the template's scripts write (the cloud.cfg.d heredocs, the identity,
//   root's key, this boot's state in /run/flotilla-provision); $FAKE_PROVISION_FAIL fails it on apt,
//   $FAKE_PROVISION_PENDING leaves it running (a `limactl start` whose caller went away meanwhile);
// - with $FAKE_SSHD set, a real sshd (guest-sshd.ts) serves the guest's host key on sshLocalPort;
// - `shell` runs the provider's guest-state script against the guest's files (a directory per
//   instance standing in for its disk; /run is emptied and /proc/…/boot_id renewed on every boot).
export const LIMACTL_JS = String.raw`
const crypto = require('crypto');
const VERSION = process.env.FAKE_LIMA_VERSION || '1.0.3';
const V2 = Number(VERSION.split('.')[0]) >= 2;
const MAX = Number(process.env.FAKE_UNIX_PATH_MAX || 108);
const BQ = '\x60';
const home = process.env.LIMA_HOME || fail('LIMA_HOME not set (the stand-in refuses to touch ~/.lima)');
// Like Lima, everything about an instance lives in its directory (so concurrent commands do not clobber each other).
const get = (n) => { try { return JSON.parse(fs.readFileSync(path.join(home, n, 'stand-in.json'), 'utf8')); } catch { return undefined; } };
const put = (n, i) => fs.writeFileSync(path.join(home, n, 'stand-in.json'), JSON.stringify(i));
const log = (level, msg, extra) => process.stderr.write('time="' + new Date().toISOString() + '" level=' + level + ' msg=' + JSON.stringify(msg) + (extra || '') + '\n');
const fatal = (msg) => { log('fatal', msg); process.exit(1); };
const q = (name) => V2 ? BQ + name + BQ : '"' + name + '"';
const flag = (n) => { const a = args.find((x) => x.startsWith('--' + n + '=')); return a ? a.slice(n.length + 3) : undefined; };
const dir = (n) => path.join(home, n);
const guest = (n, p) => path.join(dir(n), 'guest', p);
const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const instanceDirs = () => { try { return fs.readdirSync(home, { withFileTypes: true }).filter((d) => d.isDirectory() && !/^[._]/.test(d.name)).map((d) => d.name).sort(); } catch { return []; } };
const ip = (i) => '192.168.104.' + (5 + i.index);
const freePort = () => new Promise((resolve) => { const srv = require('net').createServer(); srv.listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)); }); });

function line(n, i) {
  const hostFields = { HostOS: 'linux', HostArch: 'x86_64', LimaHome: home, IdentityFile: path.join(home, '_config', 'user') };
  if (!i) return JSON.stringify({ name: n, hostname: '', status: 'Broken', dir: dir(n), vmType: '', arch: '', errors: [{ Op: 'open', Path: path.join(dir(n), 'lima.yaml'), Err: 2 }], protected: false, limaVersion: '', ...hostFields });
  const running = i.status === 'Running';
  const o = { name: n, hostname: 'lima-' + n, status: i.status, dir: dir(n), vmType: 'qemu', arch: 'x86_64' };
  if (!V2) o.cpuType = 'host';
  Object.assign(o, { cpus: i.cpus, memory: i.memory, disk: i.disk, network: [{ lima: 'user-v2', macAddress: '52:55:55:12:34:' + (16 + i.index % 200).toString(16).padStart(2, '0'), interface: 'lima0', ...(V2 ? { metric: 100 } : {}) }] });
  if (running) o.sshLocalPort = i.port;
  o.sshConfigFile = path.join(dir(n), 'ssh.config');
  if (running) { o.hostAgentPID = i.pid || 4242; o.driverPID = i.pid || 4242; }
  Object.assign(o, { sshAddress: '127.0.0.1', protected: false, limaVersion: VERSION, param: i.params, ...hostFields });
  return JSON.stringify(o);
}

function list() {
  const wanted = args.slice(1).filter((a) => !a.startsWith('-'));
  const names = instanceDirs().filter((n) => !wanted.length || wanted.includes(n));
  const out = [];
  for (const n of names) {
    const halfMade = !fs.existsSync(path.join(dir(n), 'lima.yaml'));
    if (halfMade && !V2) fatal('unable to load instance ' + n + ': open ' + path.join(dir(n), 'lima.yaml') + ': no such file or directory');
    if (halfMade) log('warning', 'instance ' + q(n) + ' has errors', ' errors=' + JSON.stringify('[open ' + path.join(dir(n), 'lima.yaml') + ': no such file or directory]'));
    out.push(line(n, halfMade ? undefined : get(n)));
  }
  if (!out.length && !wanted.length) log('warning', 'No instance found. Run ' + BQ + 'limactl create' + BQ + ' to create an instance.');
  for (const l of out) console.log(l);
}

function makeUserKey() {
  const cfg = path.join(home, '_config'); const user = path.join(cfg, 'user');
  if (fs.existsSync(user)) return;
  fs.mkdirSync(cfg, { recursive: true });
  sleepSync(Number(process.env.FAKE_KEYGEN_MS || 800)); // ssh-keygen runs; another first start may be past the same check
  const lock = path.join(cfg, '.lock');
  const deadline = Date.now() + 10000;
  while (true) { try { fs.mkdirSync(lock); break; } catch { if (Date.now() > deadline) fatal('lock'); sleepSync(10); } }
  try {
    if (fs.existsSync(user)) fatal('failed to run [ssh-keygen -t ed25519 -q -N  -C lima -f ' + user + ']: "' + user + ' already exists.\nOverwrite (y/n)? ": exit status 1');
    fs.writeFileSync(user + '.pub', 'ssh-ed25519 AAAAstand-in lima\n'); fs.writeFileSync(user, 'stand-in private key\n', { mode: 0o600 });
  } finally { fs.rmdirSync(lock); }
}

/** What the template's system provisioning scripts do to the guest's disk (see the header). */
function provision(n, i) {
  const scripts = (i.provision || []);
  const write = (p, text, mode) => { fs.mkdirSync(path.dirname(guest(n, p)), { recursive: true }); fs.writeFileSync(guest(n, p), text, { mode: mode || 0o644 }); };
  for (const sc of scripts) {
    for (const m of sc.matchAll(/cat > (\/etc\/cloud\/cloud\.cfg\.d\/[\w.-]+\.cfg) <<'EOF'\n([\s\S]*?)\nEOF/g)) write(m[1], m[2] + '\n');
  }
  const all = scripts.join('\n');
  if (all.includes('/etc/flotilla/instance-id') && i.params.FLOTILLA_INSTANCE_ID && !fs.existsSync(guest(n, '/etc/flotilla/instance-id'))) write('/etc/flotilla/instance-id', i.params.FLOTILLA_INSTANCE_ID + '\n');
  if (all.includes('PARAM_FLOTILLA_PUBKEY')) write('/root/.ssh/authorized_keys', i.params.FLOTILLA_PUBKEY + '\n', 0o600);
  if (!all.includes('/run/flotilla-provision')) return true;
  if (process.env.FAKE_PROVISION_PENDING) { write('/run/flotilla-provision/state', 'running\n'); return true; }
  if (process.env.FAKE_PROVISION_FAIL) {
    write('/run/flotilla-provision/state', 'failed\n');
    write('/run/flotilla-provision/error', 'apt-get update (exit 100)\nE: Some index files failed to download. They have been ignored, or old ones used instead.\n');
    fs.copyFileSync(process.env.FAKE_SERIAL_FAILED, path.join(dir(n), 'serial.log'));
    return false;
  }
  write('/run/flotilla-provision/state', 'done\n');
  return true;
}

async function boot(n, i) {
  fs.rmSync(guest(n, '/run'), { recursive: true, force: true });
  fs.mkdirSync(guest(n, '/proc/sys/kernel/random'), { recursive: true });
  fs.writeFileSync(guest(n, '/proc/sys/kernel/random/boot_id'), crypto.randomUUID() + '\n');
  const cfgDir = guest(n, '/etc/cloud/cloud.cfg.d');
  const keep = fs.existsSync(cfgDir) && fs.readdirSync(cfgDir).some((f) => f.endsWith('.cfg') && /^ssh_deletekeys:\s*false\s*$/m.test(fs.readFileSync(path.join(cfgDir, f), 'utf8')));
  const sshd = require(path.join(__dirname, 'guest-sshd.js'));
  const hostKey = guest(n, '/etc/ssh/ssh_host_ed25519_key');
  sshd.hostKey(hostKey, 'root@lima-' + n, !keep);
  i.status = 'Running';
  if (process.env.FAKE_SSHD) i.pid = await sshd.start({ dir: path.join(dir(n), 'sshd'), port: i.port, hostKey, authorizedKeys: [i.params.FLOTILLA_PUBKEY], forceCommand: 'echo stand-in guest' });
  fs.writeFileSync(path.join(dir(n), 'ssh.config'), 'Host lima-' + n + '\n  IdentityFile "' + path.join(home, '_config', 'user') + '"\n  User me\n  Hostname 127.0.0.1\n  Port ' + i.port + '\n');
  if (process.env.FAKE_BOOT_FAIL) {
    fs.writeFileSync(path.join(dir(n), 'serial.log'), '[    0.000000] Linux version 6.8.0-51-generic\n[   12.345678] cloud-init[812]: Err:1 http://archive.ubuntu.com/ubuntu noble InRelease\n');
    put(n, i);
    for (const l of fs.readFileSync(process.env.FAKE_TIMEOUT_TEXT.replace('VERSION', V2 ? '2.2' : '1.x'), 'utf8').trimEnd().split('\n')) process.stderr.write(l + '\n');
    process.exit(1);
  }
  provision(n, i);
  put(n, i);
  log('info', 'READY. Run ' + BQ + 'limactl shell ' + n + BQ + ' to open the shell.');
}

async function start() {
  const template = flag('name') ? args[args.length - 1] : undefined;
  const n = flag('name') || args.slice(1).filter((a) => !a.startsWith('-'))[0];
  if (!n) fatal('name required');
  if (template) {
    if (fs.existsSync(dir(n))) fatal('instance ' + q(n) + ' already exists (' + JSON.stringify(dir(n)) + ')');
    const sock = path.join(dir(n), 'ssh.sock.1234567890123456');
    if (sock.length >= MAX) fatal('instance name ' + q(n) + ' too long: ' + JSON.stringify(sock) + ' must be less than UNIX_PATH_MAX=' + MAX + ' characters, but is ' + sock.length);
    const usernet = path.join(home, '_networks', 'user-v2', 'user-v2_qemu.sock');
    if (usernet.length >= MAX) fatal('usernet socket path ' + JSON.stringify(usernet) + ' too long: must be less than UNIX_PATH_MAX=' + MAX + ' characters, but is ' + usernet.length);
    if (!fs.existsSync(template)) fatal('template ' + template + ' not found');
    makeUserKey();
    const set = args[args.indexOf('--set') + 1] || '';
    const params = {};
    for (const m of set.matchAll(/\.param\.(\w+) = ("(?:[^"\\]|\\.)*")/g)) params[m[1]] = JSON.parse(m[2]);
    const mem = /\.memory = "(\d+)MiB"/.exec(set);
    if (!params.FLOTILLA_PUBKEY || !/^ssh-ed25519 /.test(params.FLOTILLA_PUBKEY)) fatal('expected the public key as a param');
    const text = fs.readFileSync(template, 'utf8');
    const provisionScripts = (require(process.env.FAKE_YAML_MODULE).parse(text).provision || []).filter((p) => p.mode === 'system').map((p) => p.script);
    fs.mkdirSync(dir(n), { recursive: true });
    fs.writeFileSync(path.join(dir(n), 'lima.yaml'), text);
    const index = parseInt(crypto.createHash('sha256').update(n).digest('hex').slice(0, 4), 16) % 200;
    put(n, { index, status: 'Stopped', cpus: Number(flag('cpus') || 2), memory: (mem ? Number(mem[1]) : 2048) * 1048576, disk: Number(flag('disk') || 10) * 1073741824, port: await freePort(), params, provision: provisionScripts });
  }
  const i = get(n);
  if (!i) fatal('instance ' + q(n) + ' does not exist, run ' + BQ + 'limactl create ' + n + BQ + ' to create a new instance');
  if (i.status === 'Running') fatal('instance ' + q(n) + ' seems running (hint: to stop the instance, run ' + BQ + 'limactl stop ' + n + BQ + ')');
  await boot(n, i);
}

async function stopSshd(n, i) {
  if (!i.pid) return;
  await require(path.join(__dirname, 'guest-sshd.js')).stop(i.pid, path.join(dir(n), 'sshd', 'sshd_config'));
  i.pid = 0;
}

function shell() {
  const rest = args.slice(1).filter((a) => !a.startsWith('--workdir'));
  const n = rest[0]; const i = get(n);
  if (!i || i.status !== 'Running') fatal('instance ' + q(n) + ' is stopped, run ' + BQ + 'limactl start ' + n + BQ + ' to start the instance');
  // Lima runs the arguments as one command line in the guest's shell; the guest here knows a few commands.
  const script = rest[1] === 'sh' && rest[2] === '-c' && rest.length === 4 ? rest[3] : rest.slice(1).join(' ');
  const addr = [
    { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, qdisc: 'noqueue', operstate: 'UNKNOWN', group: 'default', txqlen: 1000, addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host', label: 'lo', valid_life_time: 4294967295, preferred_life_time: 4294967295 }] },
    { ifindex: 2, ifname: 'eth0', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, qdisc: 'fq_codel', operstate: 'UP', group: 'default', txqlen: 1000, addr_info: [{ family: 'inet', local: ip(i), prefixlen: 24, metric: 200, broadcast: '192.168.104.255', scope: 'global', dynamic: true, label: 'eth0', valid_life_time: 3599, preferred_life_time: 3599 }] },
  ];
  for (const cmd of script.split('; ')) {
    let m;
    if ((m = /^echo (\S+)$/.exec(cmd))) console.log(m[1]);
    else if ((m = /^cat (\S+)( 2>\/dev\/null)?$/.exec(cmd))) { try { process.stdout.write(fs.readFileSync(guest(n, m[1]), 'utf8')); } catch { if (!m[2]) process.stderr.write('cat: ' + m[1] + ': No such file or directory\n'); } }
    else if (cmd === 'ip -4 -j route show default') console.log(JSON.stringify([{ dst: 'default', gateway: '192.168.104.2', dev: 'eth0', protocol: 'dhcp', prefsrc: ip(i), metric: 200, flags: [] }]));
    else if (cmd === 'ip -4 -j addr show') console.log(JSON.stringify(addr));
    else if (cmd !== 'true') fatal('the stand-in guest cannot run: ' + cmd);
  }
}

(async () => {
  switch (args[0]) {
    case '--version': console.log('limactl version ' + VERSION); break;
    case 'list': if (!args.includes('--json')) fatal('the stand-in only speaks --json'); list(); break;
    case 'start': await start(); break;
    case 'stop': { const n = args.filter((a) => !a.startsWith('-'))[1]; const i = get(n); if (!i) fatal('instance ' + q(n) + ' does not exist'); await stopSshd(n, i); i.status = 'Stopped'; put(n, i); break; }
    case 'delete': {
      const n = args.filter((a) => !a.startsWith('-'))[1]; const i = get(n);
      if (!i && !fs.existsSync(dir(n))) { log('warning', 'Ignoring non-existent instance ' + q(n)); break; }
      if (i) await stopSshd(n, i);
      fs.rmSync(dir(n), { recursive: true, force: true }); break;
    }
    case 'shell': shell(); break;
    default: fatal('unknown command ' + args[0]);
  }
})().catch((e) => fatal(String(e && e.message || e)));
`;
