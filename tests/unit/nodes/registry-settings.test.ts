import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseInsecureRegistry, parseRegistriesYaml } from '../../../main/nodes/registry/settings';
import { registryNodeFiles } from '../../../main/nodes/registry/node-files';
import { RegistrySettings } from '../../../main/nodes/registry/registry-settings';
import { repositoryPath } from '../../../main/nodes/registry/push-tarball';
import { credentialsFor, imageRegistryHost } from '../../../main/protocol/registry-auth';
import { registryAuthFor } from '../../../vm-images/agent/pods/registry-auth';
import { waitFor } from '../../helpers/wait';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-regset-'));
  dirs.push(d);
  return d;
};
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const K3S_EXAMPLE = `mirrors:
  docker.io:
    endpoint:
      - "http://10.251.7.1:5001"
      - mirror.example.com:5000
  "*":
    endpoint: ["https://any.example.com"]
configs:
  "mirror.example.com:5000":
    auth:
      username: user
      password: secret
    tls:
      ca_file: ca.pem
      insecure_skip_verify: true
`;

describe('registries.yaml (k3s format)', () => {
  it('parses mirrors and configs', () => {
    const r = parseRegistriesYaml(K3S_EXAMPLE);
    expect(r.mirrors['docker.io']?.endpoint).toEqual(['http://10.251.7.1:5001', 'mirror.example.com:5000']);
    expect(r.mirrors['*']?.endpoint).toEqual(['https://any.example.com']);
    expect(r.configs['mirror.example.com:5000']).toEqual({ auth: { username: 'user', password: 'secret' }, tls: { ca_file: 'ca.pem', insecure_skip_verify: true } });
    expect(parseRegistriesYaml('')).toEqual({ mirrors: {}, configs: {} });
  });

  it('names the file and line of a syntax error', () => {
    expect(() => parseRegistriesYaml('mirrors:\n  docker.io:\n    endpoint: [a\n', '/d/registries.yaml')).toThrow(/^\/d\/registries\.yaml: line \d+: /);
  });

  it('names the line and field of a wrong value', () => {
    expect(() => parseRegistriesYaml('mirrors:\n  docker.io:\n    endpoint: "http://x"\n')).toThrow('registries.yaml: line 3: mirrors.docker.io.endpoint: must be a list of strings');
    expect(() => parseRegistriesYaml('configs:\n  r:5000:\n    tls:\n      insecure_skip_verify: "yes"\n')).toThrow('line 4: configs.r:5000.tls.insecure_skip_verify: must be true or false');
    expect(() => parseRegistriesYaml('configs:\n  r:5000:\n    tsl: {}\n')).toThrow('line 3: configs.r:5000.tsl: unknown field (expected one of auth, tls)');
    expect(() => parseRegistriesYaml('mirrors:\n  docker.io:\n    endpoint: ["ftp://x"]\n')).toThrow('line 3: mirrors.docker.io.endpoint.0: "ftp://x": the scheme must be http or https');
    expect(() => parseRegistriesYaml('mirrors:\n  "bad host/x":\n    endpoint: []\n')).toThrow('"bad host/x" is not a registry host[:port]');
  });

  it('checks --insecure-registry values', () => {
    expect(parseInsecureRegistry('10.0.0.1:5000')).toBe('10.0.0.1:5000');
    expect(() => parseInsecureRegistry('http://x:5000')).toThrow('"http://x:5000" is not a registry HOST[:PORT]');
  });
});

describe('what a node gets', () => {
  it('writes hosts.toml per registry, the built-in mapping, copied TLS files and the credentials file', () => {
    const base = tmp();
    fs.writeFileSync(path.join(base, 'ca.pem'), 'CA PEM\n');
    const files = registryNodeFiles({
      settings: parseRegistriesYaml(K3S_EXAMPLE), insecure: ['10.251.7.1:5002'], baseDir: base, builtin: { port: 5000, hostAddress: '10.251.7.1' },
    });
    const byPath = new Map(files.map((f) => [f.remote, f.content ?? '']));
    expect([...byPath.keys()].sort()).toEqual([
      '/etc/flotilla/certs.d/10.251.7.1:5002/hosts.toml',
      '/etc/flotilla/certs.d/_default/hosts.toml',
      '/etc/flotilla/certs.d/docker.io/hosts.toml',
      '/etc/flotilla/certs.d/localhost:5000/hosts.toml',
      '/etc/flotilla/certs.d/mirror.example.com:5000/ca.crt',
      '/etc/flotilla/certs.d/mirror.example.com:5000/hosts.toml',
      '/etc/flotilla/registry-auth.json',
    ]);
    expect(byPath.get('/etc/flotilla/certs.d/localhost:5000/hosts.toml')).toContain('server = "http://10.251.7.1:5000"');
    expect(byPath.get('/etc/flotilla/certs.d/10.251.7.1:5002/hosts.toml')).toContain('server = "http://10.251.7.1:5002"');
    const hub = byPath.get('/etc/flotilla/certs.d/docker.io/hosts.toml') ?? '';
    expect(hub).toContain('server = "https://registry-1.docker.io"');
    expect(hub.indexOf('[host."http://10.251.7.1:5001"]')).toBeLessThan(hub.indexOf('[host."https://mirror.example.com:5000"]'));
    expect(hub).toContain('  ca = "/etc/flotilla/certs.d/mirror.example.com:5000/ca.crt"\n  skip_verify = true');
    expect(byPath.get('/etc/flotilla/certs.d/mirror.example.com:5000/ca.crt')).toBe('CA PEM\n');
    expect(files.find((f) => f.remote.endsWith('registry-auth.json'))?.mode).toBe('0600');
  });

  it('says which certificate file it cannot read', () => {
    const settings = parseRegistriesYaml('configs:\n  r:5000:\n    tls:\n      ca_file: /nonexistent/ca.pem\n');
    expect(() => registryNodeFiles({ settings, insecure: [], baseDir: '/' })).toThrow('registries.yaml: configs.r:5000.tls.ca_file: cannot read /nonexistent/ca.pem: ENOENT');
  });
});

describe('credentials for a pull', () => {
  it('finds the registry of an image as containerd normalises it', () => {
    expect(imageRegistryHost('nginx')).toBe('docker.io');
    expect(imageRegistryHost('library/nginx:1')).toBe('docker.io');
    expect(imageRegistryHost('localhost:5000/x:1')).toBe('localhost:5000');
    expect(imageRegistryHost('ghcr.io/o/x')).toBe('ghcr.io');
  });

  it('uses the registry\'s own credentials, else its mirrors\'', () => {
    const file = { configs: { 'm:5000': { username: 'u', password: 'p' }, 'ghcr.io': { identitytoken: 't' } }, mirrors: { 'docker.io': ['m:5000'] } };
    expect(credentialsFor('nginx', file)).toEqual({ username: 'u', password: 'p' });
    expect(credentialsFor('ghcr.io/o/x:1', file)).toEqual({ identitytoken: 't' });
    expect(credentialsFor('quay.io/o/x:1', file)).toBeUndefined();
  });

  it('the agent reads the node file into a CRI AuthConfig (none without the file)', () => {
    const f = path.join(tmp(), 'registry-auth.json');
    expect(registryAuthFor('nginx', f)).toBeUndefined();
    fs.writeFileSync(f, JSON.stringify({ configs: { 'docker.io': { username: 'u', password: 'p', identitytoken: 'i' } }, mirrors: {} }));
    expect(registryAuthFor('nginx', f)).toEqual({ username: 'u', password: 'p', auth: '', server_address: '', identity_token: 'i', registry_token: '' });
  });

  it('names a pushed image\'s repository as it was named', () => {
    expect(repositoryPath('docker.io/flotilla/hello:1')).toBe('flotilla/hello:1');
    expect(repositoryPath('nginx')).toBe('library/nginx:latest');
    expect(repositoryPath('localhost:5000/a/b:2')).toBe('a/b:2');
  });
});

describe('the settings in force', () => {
  it('keeps the previous settings when the file turns bad, and takes the fixed one on the next change', async () => {
    const dataDir = tmp();
    const file = path.join(dataDir, 'registries.yaml');
    fs.writeFileSync(file, 'mirrors:\n  docker.io:\n    endpoint: ["http://a:5000"]\n');
    const logs: string[] = [];
    const s = new RegistrySettings({ dataDir, log: (l) => logs.push(l), debounceMs: 20 });
    let changes = 0;
    s.onChange(() => { changes += 1; });
    s.watch();
    try {
      expect(s.settings.mirrors['docker.io']?.endpoint).toEqual(['http://a:5000']);
      fs.writeFileSync(file, 'mirrors:\n  docker.io:\n    endpoint: [\n');
      await waitFor(() => s.lastError !== undefined, 'the bad file reported', 10_000);
      expect(s.lastError).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}: line \\d+: .*the previous registry settings stay in force`));
      expect(s.settings.mirrors['docker.io']?.endpoint).toEqual(['http://a:5000']);
      expect(changes).toBe(0);
      fs.writeFileSync(file, 'mirrors:\n  docker.io:\n    endpoint: ["http://b:5000"]\n');
      await waitFor(() => changes === 1, 'the fixed file applied', 10_000);
      expect(s.lastError).toBeUndefined();
      expect(s.settings.mirrors['docker.io']?.endpoint).toEqual(['http://b:5000']);
    } finally {
      s.stop();
    }
  });
});
