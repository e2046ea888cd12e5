// Pulling images from a real registry onto a real sandbox node, as the kubelet does: Debian's
// docker-registry with htpasswd auth on the sandbox bridge's gateway (plain HTTP, declared to the
// node's containerd in its certs.d hosts.toml), the demo image pushed with skopeo, real kubectl.
// A pod's imagePullSecret (and a ServiceAccount's, copied in at admission) is used; without it the
// pull ends ErrImagePull then ImagePullBackOff saying "unauthorized"; a missing image says "not found";
// an image already on the node is not pulled again under IfNotPresent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ContainerStateWaiting, Event, Pod } from 'kubernetes-types/core/v1';
import { R } from '../../../main/client/refs';
import { agentDir } from '../../../main/nodes/assets';
import { gatewayIP } from '../../../main/nodes/providers/sandbox/config';
import { hostPathOf } from '../../../main/nodes/providers/sandbox/node-state';
import { waitFor } from '../../helpers/cluster';
import { pushOciArchive, startTestRegistry, type TestRegistry } from '../../helpers/registry';
import { sandboxCluster, skipWithoutAgent } from './support';

const USER = { username: 'puller', password: `pw-${process.pid}` };

describe.skipIf(skipWithoutAgent)('image pulls from a registry with auth on a sandbox node', () => {
  const { c, cfg, ok } = sandboxCluster(23);
  let reg: TestRegistry | undefined;
  let image = '';
  let missing = '';

  const pod = (name: string, img: string, extra: Record<string, unknown> = {}): string => JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: img, imagePullPolicy: 'Always', command: ['sleep', '3600'] }], ...extra },
  });
  const waiting = (name: string, reason: string): Promise<ContainerStateWaiting> => waitFor(async () => {
    const p = await c.client.get<Pod>(R.pods, name, 'default');
    const w = p.status?.containerStatuses?.[0]?.state?.waiting;
    return w?.reason === reason ? w : undefined;
  }, `${name} waiting in ${reason}`, 90_000, 200);
  const running = (name: string): Promise<unknown> => waitFor(async () => {
    const p = await c.client.get<Pod>(R.pods, name, 'default');
    return p.status?.containerStatuses?.[0]?.state?.running;
  }, `${name} running`, 90_000, 200);
  const events = async (name: string): Promise<string[]> => {
    const list = await c.client.list<Event>(R.events, { namespace: 'default', fieldSelector: `involvedObject.name=${name}` });
    return list.items.filter((e) => e.source?.component === 'kubelet').map((e) => `${e.type} ${e.reason} ${e.message}`);
  };
  /** The pod's events once one starts with `prefix`: the kubelet records them after what they tell of. */
  const eventsWith = (name: string, prefix: string): Promise<string[]> => waitFor(async () => {
    const evs = await events(name);
    return evs.some((e) => e.startsWith(prefix)) ? evs : undefined;
  }, `${name}: an event "${prefix}…"`, 30_000, 200);

  beforeAll(async () => {
    reg = await startTestRegistry({ host: gatewayIP(cfg), auth: USER });
    image = pushOciArchive(reg, path.join(agentDir(), 'images', 'hello.tar'), 'team/hello:1', USER);
    missing = `${reg.address}/team/nope:1`;
    const node = (await ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    const hosts = hostPathOf(c.core.dataDir, node, `/etc/flotilla/certs.d/${reg.address}/hosts.toml`);
    if (!hosts) throw new Error('the node\'s /etc/flotilla is not bound from the host');
    fs.mkdirSync(path.dirname(hosts), { recursive: true });
    fs.writeFileSync(hosts, `server = "http://${reg.address}"\n\n[host."http://${reg.address}"]\n  capabilities = ["pull", "resolve"]\n`);
    await ok(['create', 'secret', 'docker-registry', 'regcred', `--docker-server=${reg.address}`, `--docker-username=${USER.username}`, `--docker-password=${USER.password}`]);
  }, 180_000);

  afterAll(async () => {
    await c.kubectl(['delete', 'pods', '--all', '--wait=false']).catch(() => undefined);
    await reg?.stop();
  }, 60_000);

  it('pulls with the pod\'s imagePullSecret and reports Pulling and Pulled with duration and size', async () => {
    await ok(['apply', '-f', '-'], pod('with-secret', image, { imagePullSecrets: [{ name: 'regcred' }] }));
    await running('with-secret');
    const evs = await eventsWith('with-secret', 'Normal Pulled ');
    expect(evs).toContain(`Normal Pulling Pulling image "${image}"`);
    const pulled = evs.find((e) => e.startsWith('Normal Pulled '));
    expect(pulled).toMatch(new RegExp(`^Normal Pulled Successfully pulled image "${image.replace(/[.]/g, '\\.')}" in (\\d+ms|[\\d.]+s) \\(\\1 including waiting\\)\\. Image size: [1-9]\\d+ bytes\\.$`));
  }, 120_000);

  it('without the secret ends ErrImagePull, then ImagePullBackOff saying unauthorized', async () => {
    await ok(['apply', '-f', '-'], pod('no-secret', image));
    const failed = await waitFor(async () => (await events('no-secret')).find((e) => e.startsWith('Warning Failed Failed to pull image')), 'a Failed event', 90_000, 200);
    expect(failed).toContain(`Failed to pull image "${image}": rpc error:`);
    expect(failed).toMatch(/401 Unauthorized/);
    const w = await waiting('no-secret', 'ImagePullBackOff');
    expect(w.message).toMatch(new RegExp(`^Back-off pulling image "${image.replace(/[.]/g, '\\.')}": ErrImagePull: rpc error: .*\\(unauthorized: `));
    expect(w.message).not.toContain('\n');
    const evs = await waitFor(async () => {
      const all = await events('no-secret');
      return all.includes(`Normal BackOff Back-off pulling image "${image}"`) ? all : undefined;
    }, 'a BackOff event', 30_000, 200);
    expect(evs).toContain('Warning Failed Error: ErrImagePull');
    expect(evs).toContain('Warning Failed Error: ImagePullBackOff');
    const table = await ok(['get', 'pod', 'no-secret']);
    expect(table).toMatch(/no-secret\s+0\/1\s+(ImagePullBackOff|ErrImagePull)\s/);
  }, 120_000);

  it('uses the ServiceAccount\'s imagePullSecrets, copied into the pod at admission', async () => {
    await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'default' }, imagePullSecrets: [{ name: 'regcred' }] }));
    await ok(['apply', '-f', '-'], pod('via-sa', image, { serviceAccountName: 'builder' }));
    const p = await c.client.get<Pod>(R.pods, 'via-sa', 'default');
    expect(p.spec?.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    await running('via-sa');
    await eventsWith('via-sa', `Normal Pulled Successfully pulled image "${image}"`);
  }, 120_000);

  it('says not found for an image the registry does not have', async () => {
    await ok(['apply', '-f', '-'], pod('missing', missing, { imagePullSecrets: [{ name: 'regcred' }] }));
    const w = await waiting('missing', 'ErrImagePull').catch(() => waiting('missing', 'ImagePullBackOff'));
    expect(w.message).toMatch(/not found \(not found: the registry has no such image or tag\)$/);
  }, 120_000);

  it('does not pull again an image already on the node under IfNotPresent', async () => {
    await ok(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'present', namespace: 'default' },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
    }));
    await running('present');
    const evs = await eventsWith('present', 'Normal Pulled ');
    expect(evs).toContain(`Normal Pulled Container image "${image}" already present on machine`);
    expect(evs.some((e) => e.includes('Pulling'))).toBe(false);
  }, 120_000);
});
