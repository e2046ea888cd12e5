// Registries on a real sandbox node (containerd through CRI, the real agent, real kubectl, real docker-registry and
// skopeo): the built-in registry (`localhost:<port>/…` on every node), a plain-HTTP registry declared with
// --insecure-registry, a registries.yaml mirror redirecting docker.io/library/x (also through a rewrite), a TLS registry with basic auth trusted
// through its CA and logged in to with the credentials of registries.yaml, and a malformed registries.yaml reported by line with the previous settings kept.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreOptions } from '../../../main/core';
import type { Event, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { gatewayIP } from '../../../main/nodes/providers/sandbox/config';
import { hostPathOf, readNodeState } from '../../../main/nodes/providers/sandbox/node-state';
import { enterArgv } from '../../../main/nodes/providers/sandbox/node';
import { builtImages } from '../../../main/nodes/artifacts';
import { makeCaAndServerCert } from '../../../main/apiserver/pki';
import { freePort } from '../../helpers/free-port';
import { pushOciArchive, startTestRegistry, variantArchive, type TestRegistry } from '../../helpers/registry';
import { waitFor } from '../../helpers/wait';
import { sandboxCluster, skipWithoutAgent, uniqueSandbox } from './support';

const N = 23;
const gw = gatewayIP(uniqueSandbox(N));

function push(tarball: string, dest: string): void {
  execFileSync('/usr/bin/skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci-archive:${tarball}`, `docker://${dest}`], { stdio: 'pipe', timeout: 120_000 });
}

describe.skipIf(skipWithoutAgent)('image registries on a sandbox node', () => {
  const core: Partial<CoreOptions> = {};
  let insecurePort = 0;
  beforeAll(async () => {
    insecurePort = await freePort();
    core.registry = { port: await freePort(), insecure: [`${gw}:${insecurePort}`] };
  });
  const s = sandboxCluster(N, { core, okTimeoutMs: 90_000 });
  const registries: TestRegistry[] = [];
  let images: string[] = [];
  let node = '';
  beforeAll(async () => {
    images = await builtImages(s.c.core.dataDir);
    const nodes = await s.c.client.list(R.nodes);
    node = nodes.items[0]?.metadata?.name ?? '';
  });
  afterAll(async () => {
    for (const r of registries) await r.stop();
  });

  const tarball = (name: string): string => {
    const f = images.find((i) => path.basename(i) === `${name}.tar`);
    if (!f) throw new Error(`no ${name}.tar among ${images.join(', ')}`);
    return f;
  };
  const nodeFile = (p: string): string => hostPathOf(s.c.core.dataDir, node, p) ?? '';
  /** The images the node's containerd holds by name (a pulled image's own name, whatever the pod's status shows). */
  const nodeImages = (): string[] => execFileSync('ctr', ['--address', nodeFile('/run/containerd/containerd.sock'), '-n', 'k8s.io', 'images', 'ls', '-q'], { encoding: 'utf8' })
    .split('\n').filter(Boolean);
  const settle = async (name: string, image: string): Promise<Pod> => {
    await s.ok(['run', name, `--image=${image}`, '--restart=Never']);
    return waitFor(async () => {
      const p = await s.c.client.get<Pod>(R.pods, name, 'default');
      const waiting = p.status?.containerStatuses?.[0]?.state?.waiting;
      if (waiting?.reason === 'ImagePullBackOff' || waiting?.reason === 'ErrImagePull') throw new Error(`${name}: ${waiting.reason}: ${waiting.message ?? ''}`);
      return p.status?.phase === 'Running' ? p : undefined;
    }, `pod ${name} Running`, 120_000, 250);
  };

  it('runs a pod from the built-in registry as localhost:<port>/…', async () => {
    const port = s.c.core.imageRegistry?.port ?? 0;
    expect(port).toBe(core.registry?.port);
    // The built-in registry listens on 127.0.0.1 and the bridge's gateway only.
    const listening = execFileSync('ss', ['-Htln', `sport = :${port}`], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(/\s+/)[3]).sort();
    expect(listening).toEqual([`${gw}:${port}`, `127.0.0.1:${port}`].sort());
    // The node resolves host.flotilla.internal to the host (its own /etc/hosts; the host's is untouched).
    const [cmd, ...args] = enterArgv(s.c.core.dataDir, readNodeState(s.c.core.dataDir, node)!);
    expect(execFileSync(cmd, [...args, 'getent', 'hosts', 'host.flotilla.internal'], { encoding: 'utf8' }).split(/\s+/)[0]).toBe(gw);
    expect(fs.readFileSync('/etc/hosts', 'utf8')).not.toContain(`${gw}\thost.flotilla.internal`);
    push(tarball('hello'), `localhost:${port}/flotilla/hello:1`);
    expect(fs.readFileSync(nodeFile(`/etc/flotilla/certs.d/localhost:${port}/hosts.toml`), 'utf8')).toContain(`server = "http://${gw}:${port}"`);
    expect(nodeImages()).not.toContain(`localhost:${port}/flotilla/hello:1`);
    await settle('from-builtin', `localhost:${port}/flotilla/hello:1`);
    expect(nodeImages()).toContain(`localhost:${port}/flotilla/hello:1`);
    // The images persist in the data dir.
    expect(fs.existsSync(path.join(s.c.core.dataDir, 'registry', 'docker', 'registry', 'v2', 'repositories', 'flotilla', 'hello'))).toBe(true);
  }, 240_000);

  it('runs a pod from a plain-HTTP registry declared with --insecure-registry', async () => {
    registries.push(await startTestRegistry({ host: gw, port: insecurePort }));
    push(tarball('counter'), `${gw}:${insecurePort}/flotilla/counter:1`);
    await settle('from-insecure', `${gw}:${insecurePort}/flotilla/counter:1`);
  }, 240_000);

  it('pulls docker.io/library/x from a mirror of registries.yaml', async () => {
    push(tarball('hello'), `${gw}:${insecurePort}/library/mirrored:7`);
    const hosts = nodeFile('/etc/flotilla/certs.d/docker.io/hosts.toml');
    fs.writeFileSync(path.join(s.c.core.dataDir, 'registries.yaml'), `mirrors:\n  docker.io:\n    endpoint:\n      - "http://${gw}:${insecurePort}"\n`);
    await waitFor(() => fs.existsSync(hosts) && fs.readFileSync(hosts, 'utf8').includes(`[host."http://${gw}:${insecurePort}"]`), 'the mirror on the node', 30_000);
    await settle('from-mirror', 'mirrored:7');
    expect(nodeImages()).toContain('docker.io/library/mirrored:7');
  }, 240_000);

  it('pulls docker.io/library/x through a mirror rewrite from localhost:<port>/mirrored/x, keeping the pod\'s name', async () => {
    const port = s.c.core.imageRegistry?.port ?? 0;
    // Only the rewritten repository exists: neither the mirror's library/rewritten nor Docker Hub can serve it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-rewrite-'));
    try {
      push(variantArchive(tarball('counter'), dir, 'FLOTILLA_VARIANT=rewrite'), `localhost:${port}/mirrored/rewritten:3`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const rewrite = nodeFile('/etc/flotilla/registry-rewrite.json');
    fs.writeFileSync(path.join(s.c.core.dataDir, 'registries.yaml'),
      `mirrors:\n  docker.io:\n    endpoint:\n      - "http://localhost:${port}"\n    rewrite:\n      "^library/(.*)": "mirrored/$1"\n`);
    await waitFor(() => fs.existsSync(rewrite), 'the rewrites on the node', 30_000);
    const pod = await settle('from-rewrite', 'rewritten:3');
    // As k3s: the image is kept under the name the pod asked for, not the mirror's.
    expect(nodeImages()).toContain('docker.io/library/rewritten:3');
    expect(nodeImages().filter((i) => i.includes('mirrored/rewritten'))).toEqual([]);
    const status = pod.status?.containerStatuses?.[0];
    expect(status?.image).toBe('docker.io/library/rewritten:3');
    expect(status?.imageID).toMatch(/^docker\.io\/library\/rewritten@sha256:[0-9a-f]{64}$/);
    // A second pod finds it present (IfNotPresent): no pull.
    await settle('from-rewrite-again', 'rewritten:3');
    const present = 'Container image "rewritten:3" already present on machine';
    await waitFor(async () => (await s.c.client.list<Event>(R.events, { namespace: 'default', fieldSelector: 'involvedObject.name=from-rewrite-again' }))
      .items.some((e) => e.message === present), `the event "${present}"`, 30_000);
  }, 240_000);

  it('pulls from a TLS registry with basic auth, with the CA and the credentials registries.yaml names (no pull secret)', async () => {
    const tls = await makeCaAndServerCert({ ips: [gw], dns: [] });
    const robot = { username: 'robot', password: 's3cret' };
    const r = await startTestRegistry({ host: gw, tls: { certPem: tls.certPem, keyPem: tls.keyPem, caPem: tls.caCertPem }, auth: robot });
    registries.push(r);
    pushOciArchive(r, tarball('counter'), 'flotilla/counter:2', robot);
    // Without its CA the node does not trust it.
    await s.ok(['run', 'untrusted', `--image=${r.address}/flotilla/counter:2`, '--restart=Never']);
    const refused = await waitFor(async () => {
      const w = (await s.c.client.get<Pod>(R.pods, 'untrusted', 'default')).status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason === 'ErrImagePull' || w?.reason === 'ImagePullBackOff' ? w.message : undefined;
    }, 'the untrusted pull to fail', 60_000, 250);
    expect(refused).toMatch(/certificate|x509/);
    await s.ok(['delete', 'pod', 'untrusted', '--wait=false']);
    fs.writeFileSync(path.join(s.c.core.dataDir, 'registry-ca.pem'), tls.caCertPem);
    fs.writeFileSync(path.join(s.c.core.dataDir, 'registries.yaml'), [
      'mirrors:', '  docker.io:', '    endpoint:', `      - "http://${gw}:${insecurePort}"`,
      'configs:', `  "${r.address}":`, '    tls:', '      ca_file: registry-ca.pem', '    auth:', '      username: robot', '      password: s3cret', '',
    ].join('\n'));
    const ca = nodeFile(`/etc/flotilla/certs.d/${r.address}/ca.crt`);
    const hosts = nodeFile(`/etc/flotilla/certs.d/${r.address}/hosts.toml`);
    await waitFor(() => fs.existsSync(hosts) && fs.existsSync(ca), 'the CA and hosts.toml on the node', 30_000);
    expect(fs.readFileSync(ca, 'utf8')).toBe(tls.caCertPem);
    // Credentials go to the node for the agent (hosts.toml has no place for them), readable by root only.
    const auth = nodeFile('/etc/flotilla/registry-auth.json');
    await waitFor(() => fs.existsSync(auth), 'the credentials file on the node', 30_000);
    expect(JSON.parse(fs.readFileSync(auth, 'utf8'))).toMatchObject({ configs: { [r.address]: { username: 'robot', password: 's3cret' } } });
    expect(fs.statSync(auth).mode & 0o777).toBe(0o600);
    // The rewrite of the test before is gone with it from registries.yaml, and so is its file on the node.
    expect(fs.existsSync(nodeFile('/etc/flotilla/registry-rewrite.json'))).toBe(false);
    expect(fs.readFileSync(hosts, 'utf8')).toContain(`ca = "/etc/flotilla/certs.d/${r.address}/ca.crt"`);
    // The pod names no pull secret: the agent sends the registries.yaml credentials with the pull.
    await settle('from-tls', `${r.address}/flotilla/counter:2`);
  }, 240_000);

  it('reports a malformed registries.yaml by line and keeps the settings in force', async () => {
    const settings = s.c.core.registrySettings!;
    const file = path.join(s.c.core.dataDir, 'registries.yaml');
    fs.writeFileSync(file, 'mirrors:\n  docker.io:\n    endpoint: "not a list"\n');
    await waitFor(() => settings.lastError, 'the error reported', 30_000);
    expect(settings.lastError).toBe(`${file}: line 3: mirrors.docker.io.endpoint: must be a list of strings (the previous registry settings stay in force)`);
    expect(settings.settings.mirrors['docker.io']?.endpoint).toEqual([`http://${gw}:${insecurePort}`]);
    expect(fs.readFileSync(nodeFile('/etc/flotilla/certs.d/docker.io/hosts.toml'), 'utf8')).toContain(`http://${gw}:${insecurePort}`);
  }, 60_000);
});
