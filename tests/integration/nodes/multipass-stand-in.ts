// The stand-in `multipass` (a Node script; see stand-ins.ts). It behaves as multipass 1.16 (or, with
// $FAKE_MULTIPASS_VERSION containing "dev", the development line that adds "zone") does where the
// provider depends on it — output shapes and messages as in tests/fixtures/providers:
// - one set of instances for the whole host (the state file $FAKE_STATE), which tests may seed
//   with the user's own instances (a foreign `node-1`);
// - like the Linux snap, `launch --cloud-init FILE` cannot read a file with a hidden (dot) directory
//   or name on its path; `--cloud-init -` reads stdin;
// - `delete` without --purge leaves the instance Deleted (info and list show it; start refuses it,
//   recover brings it back); `info` of an unknown name fails with "does not exist";
// - $FAKE_BOOT_FAIL makes launch time out; $FAKE_INFO_FAIL=<name> makes `info` of that instance fail.
export const MULTIPASS_JS = String.raw`
const s = load();
const DEV = (process.env.FAKE_MULTIPASS_VERSION || '').includes('dev');
const VERSION = process.env.FAKE_MULTIPASS_VERSION || '1.16.3';
const opt = (n) => { const i = args.indexOf('--' + n); return i >= 0 ? args[i + 1] : undefined; };
const positional = () => args.slice(1).filter((a, k, all) => !a.startsWith('--') && !(k > 0 && all[k - 1].startsWith('--') && all[k - 1] !== '--purge'));
const zone = { name: 'zone1', available: true };
// multipass's JSON layout: 4-space indent, empty arrays/objects on two lines; 1.16 (Qt) sorts keys.
const fmt = (v, ind) => {
  const pad = ' '.repeat(ind);
  if (Array.isArray(v)) return '[\n' + v.map((x) => pad + '    ' + fmt(x, ind + 4)).join(',\n') + (v.length ? '\n' : '') + pad + ']';
  if (v && typeof v === 'object') {
    const keys = DEV ? Object.keys(v) : Object.keys(v).sort();
    return '{\n' + keys.map((k) => pad + '    ' + JSON.stringify(k) + ': ' + fmt(v[k], ind + 4)).join(',\n') + (keys.length ? '\n' : '') + pad + '}';
  }
  return JSON.stringify(v);
};
const failed = (cmd, msg) => fail(cmd + ' failed: ' + msg, 2);
const missing = (cmd, n) => failed(cmd, 'The following errors occurred:\ninstance "' + n + '" does not exist');
const hidden = (p) => path.resolve(p).split(path.sep).some((c) => c.startsWith('.'));

function details(n, i) {
  const running = i.state === 'Running';
  return {
    ...(DEV ? { zone } : {}), state: i.state, image_hash: 'b9f4b8bd4e7c2d3ab7d2e9f5d5c2c8a1f3f4e7d68b4e1c6a9b2d7f3e0c5a8b41', image_release: '24.04 LTS',
    release: running ? 'Ubuntu 24.04.1 LTS' : '', cpu_count: running ? '2' : '', snapshot_count: '0', load: running ? [0.41, 0.22, 0.09] : [],
    disks: { sda1: running ? { used: '2318860288', total: '10213466112' } : {} }, memory: running ? { used: 398475264, total: 2013765632 } : {},
    ipv4: running ? i.ipv4 : [], mounts: {},
  };
}

switch (args[0]) {
  case 'version': console.log('multipass   ' + VERSION + '\nmultipassd  ' + VERSION); break;
  case 'launch': {
    const name = opt('name');
    if (!name || !/^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(name)) failed('launch', 'Invalid instance name supplied');
    const ci = opt('cloud-init');
    if (!ci) fail('the stand-in wants --cloud-init');
    let text;
    if (ci === '-') text = fs.readFileSync(0, 'utf8');
    else if (hidden(ci) || !fs.existsSync(ci)) fail('Could not load cloud-init configuration: bad file: ' + ci + '\nPlease ensure that Multipass can read it.', 1);
    else text = fs.readFileSync(ci, 'utf8');
    if (!text.startsWith('#cloud-config') || text.includes('__FLOTILLA_') || !/ssh-ed25519 /.test(text)) fail('cloud-init without our key and identity');
    if (s.instances[name]) failed('launch', 'The following errors occurred:\ninstance "' + name + '" already exists');
    const n = Object.keys(s.instances).length;
    s.instances[name] = { state: process.env.FAKE_BOOT_FAIL ? 'Starting' : 'Running', ipv4: ['10.74.70.' + (140 + n)], cloudInit: text };
    save(s);
    if (process.env.FAKE_BOOT_FAIL) fail('Timed out waiting for instance launch.', 5);
    console.log('Launched: ' + name);
    break;
  }
  case 'info': {
    const name = positional()[0];
    const i = s.instances[name];
    if (!i) missing('info', name);
    if (process.env.FAKE_INFO_FAIL === name) failed('info', 'The following errors occurred:\nfailed to obtain information about "' + name + '": ssh connection failed');
    console.log(fmt({ errors: [], info: { [name]: details(name, i) } }, 0));
    break;
  }
  case 'list': {
    const list = Object.entries(s.instances).map(([name, i]) => DEV
      ? { name, state: i.state, ipv4: i.state === 'Running' ? i.ipv4 : [], release: 'Ubuntu 24.04 LTS', zone }
      : { ipv4: i.state === 'Running' ? i.ipv4 : [], name, release: 'Ubuntu 24.04 LTS', state: i.state });
    console.log(fmt({ list }, 0));
    break;
  }
  case 'start': {
    const n = positional()[0]; const i = s.instances[n];
    if (!i) failed('start', 'instance(s) missing\nInstance \'' + n + '\' does not exist.\n');
    if (i.state === 'Deleted') failed('start', 'instance(s) missing\nInstance \'' + n + '\' is deleted. Use \'recover\' to recover it or \'purge\' to permanently delete it.\n');
    i.state = 'Running'; save(s); break;
  }
  case 'stop': { const n = positional()[0]; const i = s.instances[n]; if (!i) missing('stop', n); if (i.state !== 'Deleted') i.state = 'Stopped'; save(s); break; }
  case 'recover': { const n = positional()[0]; const i = s.instances[n]; if (!i) missing('recover', n); if (i.state === 'Deleted') i.state = 'Stopped'; save(s); break; }
  case 'delete': {
    const n = positional()[0];
    if (!s.instances[n]) missing('delete', n);
    if (args.includes('--purge')) delete s.instances[n]; else s.instances[n].state = 'Deleted';
    save(s);
    break;
  }
  default: fail('unknown command ' + args[0]);
}
`;
