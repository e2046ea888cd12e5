// Pod volumes on real containerd with the in-process agent against a real API server: configMap,
// secret, emptyDir shared by an init and an app container, memory-backed emptyDir, downwardAPI and
// projected volumes — content, modes, the atomic writer's `..data` layout, tmpfs for secrets; a
// ConfigMap change reaching the running pod (not its subPath mount), labels reaching the downward API;
// a missing ConfigMap holding the pod in ContainerCreating with FailedMount (repeated as retries fail) until it appears; the 422
// for a mount naming no volume; and nothing left on the node (directories, mounts) after deletion.
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { ClientError } from '../../../main/client/types';
import type { Agent } from '../../../vm-images/agent/agent';
import { mountPoints } from '../../../vm-images/agent/volumes/mounts';
import { waitFor, type TestCluster } from '../../helpers/cluster';
import { skipUnlessRoot } from '../../helpers/netns';
import { HELLO, newTestAgent, podSpecOf, startAgentStack, stopTestStack, type TestNode } from './support';

describe.skipIf(skipUnlessRoot)('pod volumes on real containerd', () => {
  let cluster: TestCluster;
  let node: TestNode;
  let agent: Agent;
  const logs: string[] = [];

  const newAgent = (): Agent => newTestAgent(node, logs);

  beforeAll(async () => {
    ({ cluster, node, agent } = await startAgentStack(logs));
  });

  afterAll(() => stopTestStack({ agent, node, cluster }, logs));

  const podsDir = (): string => join(node.config.stateDir, 'pods');
  const getPod = (name: string): Promise<Pod> => cluster.client.get<Pod>(R.pods, name, 'default');
  const waitPod = (name: string, what: string, pred: (p: Pod) => boolean, timeoutMs = 30_000): Promise<Pod> =>
    waitFor(async () => { const p = await getPod(name); return pred(p) ? p : undefined; }, `${name}: ${what}`, timeoutMs);
  const running = (p: Pod): boolean => p.status?.phase === 'Running' && !!p.status.containerStatuses?.every((c) => c.state?.running);
  const appId = (p: Pod): string => p.status?.containerStatuses?.[0]?.containerID?.replace('containerd://', '') ?? '';
  const sh = async (id: string, script: string): Promise<string> => {
    const r = await node.cri.execSync(id, ['sh', '-c', script], 5);
    if (r.exit_code !== 0) throw new Error(`${script}: exit ${r.exit_code}: ${r.stderr.toString()}`);
    return r.stdout.toString();
  };
  const mode = (p: string): number => statSync(p).mode & 0o7777;
  const mountsUnder = (dir: string): string[] => mountPoints().filter((m) => m === dir || m.startsWith(`${dir}/`));

  async function deleteAndCheckClean(name: string, uid: string): Promise<void> {
    await cluster.client.delete(R.pods, name, { namespace: 'default', gracePeriodSeconds: 0 });
    const dir = join(podsDir(), uid);
    await waitFor(() => (!existsSync(dir) ? true : undefined), `${name}: volume directories removed`, 20_000);
    expect(mountsUnder(dir)).toEqual([]);
  }

  it('refuses a mount naming no volume with 422 and Kubernetes\' message', async () => {
    const err = await cluster.client.create<Pod>(R.pods, podSpecOf('nomount', node.name, {
      containers: [{ name: 'c', image: HELLO, volumeMounts: [{ name: 'x', mountPath: '/x' }] }],
    })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).code).toBe(422);
    expect((err as ClientError).message).toBe('Pod "nomount" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "x"');
  });

  it('mounts configMap, secret, emptyDir, downwardAPI and projected volumes with their content, modes and layout, and updates them', async () => {
    await cluster.client.create(R.configmaps, { metadata: { name: 'app-config', namespace: 'default' }, data: { greeting: 'hello', 'app.conf': 'x=1' } });
    await cluster.client.create(R.secrets, { metadata: { name: 'app-secret', namespace: 'default' }, stringData: { password: 'hunter2' } });
    const spec = podSpecOf('vols', node.name, {
      volumes: [
        { name: 'config', configMap: { name: 'app-config', items: [{ key: 'greeting', path: 'greeting.txt', mode: 0o400 }, { key: 'app.conf', path: 'conf/app.conf' }] } },
        { name: 'config-all', configMap: { name: 'app-config', defaultMode: 0o640 } },
        { name: 'maybe', configMap: { name: 'app-config', optional: true, items: [{ key: 'absent', path: 'absent' }, { key: 'greeting', path: 'g' }] } },
        { name: 'secret', secret: { secretName: 'app-secret' } },
        { name: 'work', emptyDir: {} },
        { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } }] } },
        { name: 'proj', projected: { sources: [{ configMap: { name: 'app-config', items: [{ key: 'greeting', path: 'greeting' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } },
      ],
      initContainers: [{ name: 'init', image: HELLO, command: ['sh', '-c', 'echo from-init > /work/init.txt'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      containers: [{
        name: 'app', image: HELLO, command: ['sh', '-c', 'sleep 1000'], resources: { limits: { memory: '64Mi' } },
        volumeMounts: [
          { name: 'config', mountPath: '/etc/config' }, { name: 'config-all', mountPath: '/etc/app.conf', subPath: 'app.conf' },
          { name: 'maybe', mountPath: '/etc/maybe' }, { name: 'secret', mountPath: '/etc/secret', readOnly: true },
          { name: 'work', mountPath: '/work' }, { name: 'mem', mountPath: '/mem' }, { name: 'info', mountPath: '/etc/info' }, { name: 'proj', mountPath: '/etc/proj' },
        ],
      }],
    });
    spec.metadata = { ...spec.metadata, labels: { app: 'vols' } };
    const created = await cluster.client.create<Pod>(R.pods, spec);
    const uid = created.metadata?.uid ?? '';
    const p = await waitPod('vols', 'Running', running);
    const id = appId(p);
    const vol = (plugin: string, name: string): string => join(podsDir(), uid, 'volumes', `kubernetes.io~${plugin}`, name);

    // In the container: content through every mount; the init container's file in the shared emptyDir.
    expect(await sh(id, 'cat /work/init.txt /etc/config/greeting.txt /etc/config/conf/app.conf /etc/app.conf /etc/maybe/g /etc/secret/password /etc/proj/greeting /etc/proj/namespace; echo; cat /etc/info/labels /etc/info/mem'))
      .toBe('from-init\nhellox=1x=1hellohunter2hellodefault\napp="vols"64');
    expect(await sh(id, 'ls -a /etc/maybe | tr "\\n" " "')).toMatch(/^\. \.\. \.\.\d{4}_[\d_]+\.\w+ \.\.data g $/);
    expect(await sh(id, 'echo hi > /mem/f && cat /mem/f')).toBe('hi\n');
    expect((await sh(id, 'cat /proc/mounts')).split('\n').filter((l) => / \/(etc\/secret|mem|etc\/proj) /.test(l)).map((l) => l.split(' ').slice(1, 3).join(' ')).sort())
      .toEqual(['/etc/proj tmpfs', '/etc/secret tmpfs', '/mem tmpfs']);
    // API data volumes are read-only in the container whatever the mount says; emptyDir is writable.
    for (const dir of ['/etc/secret', '/etc/config', '/etc/info', '/etc/proj']) {
      expect(await node.cri.execSync(id, ['sh', '-c', `echo x > ${dir}/new`], 5).then((r) => r.stderr.toString())).toMatch(/Read-only file system/);
    }

    // On the node: the atomic writer's layout and the modes.
    const config = vol('configmap', 'config');
    expect(readlinkSync(join(config, '..data'))).toMatch(/^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\w+$/);
    expect(readlinkSync(join(config, 'greeting.txt'))).toBe('..data/greeting.txt');
    expect(lstatSync(join(config, 'conf')).isSymbolicLink()).toBe(true);
    expect(mode(join(config, 'greeting.txt'))).toBe(0o400);
    expect(mode(join(config, 'conf/app.conf'))).toBe(0o644);
    expect(mode(join(vol('configmap', 'config-all'), 'greeting'))).toBe(0o640);
    expect(mode(join(vol('secret', 'secret'), 'password'))).toBe(0o644);
    expect(mode(config)).toBe(0o777);
    expect(mode(vol('empty-dir', 'work'))).toBe(0o777);
    const access = p.spec?.volumes?.find((v) => v.name.startsWith('kube-api-access-'))?.name ?? '';
    expect(access).not.toBe('');
    const tmpfs = mountsUnder(join(podsDir(), uid)).sort();
    expect(tmpfs).toEqual([vol('empty-dir', 'mem'), vol('projected', 'proj'), vol('projected', access), vol('secret', 'secret')].sort());

    // The service account token volume the admission injected: a bound token from the TokenRequest API, the CA, the namespace.
    const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect(await sh(id, `cat ${sa}/namespace`)).toBe('default');
    expect(await sh(id, `cat ${sa}/token`)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await sh(id, `head -1 ${sa}/ca.crt`)).toBe('-----BEGIN CERTIFICATE-----\n');
    expect(mode(join(vol('projected', access), 'token'))).toBe(0o644);
    const memLine = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === vol('empty-dir', 'mem')) ?? '';
    expect(memLine).toMatch(/ - tmpfs tmpfs .*size=1024k/);

    // A ConfigMap change reaches the running pod (not the subPath mount); a label change the downward API.
    const cm = await cluster.client.get(R.configmaps, 'app-config', 'default');
    await cluster.client.update(R.configmaps, { ...cm, data: { greeting: 'hello again', 'app.conf': 'x=2' } });
    await waitFor(async () => ((await sh(id, 'cat /etc/config/greeting.txt /etc/proj/greeting')) === 'hello againhello again' ? true : undefined), 'the new ConfigMap content in the pod', 20_000);
    expect(await sh(id, 'cat /etc/config/conf/app.conf /etc/app.conf')).toBe('x=2x=1');
    await cluster.client.patch(R.pods, 'vols', { metadata: { labels: { app: 'vols', tier: 'web' } } }, 'merge', { namespace: 'default' });
    await waitFor(async () => ((await sh(id, 'cat /etc/info/labels')) === 'app="vols"\ntier="web"' ? true : undefined), 'new labels in the downward API volume', 20_000);

    await deleteAndCheckClean('vols', uid);
  });

  it('holds a pod in ContainerCreating with FailedMount while its ConfigMap is missing, and starts it once it appears', async () => {
    const created = await cluster.client.create<Pod>(R.pods, podSpecOf('waits', node.name, {
      volumes: [{ name: 'cfg', configMap: { name: 'later' } }],
      containers: [{ name: 'app', image: HELLO, command: ['sh', '-c', 'sleep 1000'], volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }],
    }));
    const event = await waitFor(async () => {
      const list = await cluster.client.list<Event>(R.events, { namespace: 'default', fieldSelector: 'involvedObject.name=waits' });
      return list.items.find((e) => e.reason === 'FailedMount');
    }, 'FailedMount event');
    expect(event).toMatchObject({ type: 'Warning', message: 'MountVolume.SetUp failed for volume "cfg" : configmap "later" not found', source: { component: 'kubelet', host: node.name } });
    // Every failed retry (backing off from 500 ms) is recorded again: one Event whose count grows.
    await waitFor(async () => {
      const list = await cluster.client.list<Event>(R.events, { namespace: 'default', fieldSelector: 'involvedObject.name=waits' });
      return (list.items.find((e) => e.reason === 'FailedMount')?.count ?? 0) >= 2;
    }, 'FailedMount repeated', 10_000);
    const pending = await getPod('waits');
    expect(pending.status?.phase).toBe('Pending');
    expect(pending.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    await cluster.client.create(R.configmaps, { metadata: { name: 'later', namespace: 'default' }, data: { k: 'v' } });
    const p = await waitPod('waits', 'Running once the ConfigMap exists', running);
    expect(await sh(appId(p), 'cat /cfg/k')).toBe('v');
    await deleteAndCheckClean('waits', created.metadata?.uid ?? '');
  });

  it('removes the volumes (and their tmpfs) of a pod deleted while the agent was away', async () => {
    await cluster.client.create(R.secrets, { metadata: { name: 'away-secret', namespace: 'default' }, stringData: { k: 'v' } });
    const created = await cluster.client.create<Pod>(R.pods, podSpecOf('away', node.name, {
      automountServiceAccountToken: false,
      volumes: [{ name: 'secret', secret: { secretName: 'away-secret' } }, { name: 'mem', emptyDir: { medium: 'Memory' } }],
      containers: [{ name: 'app', image: HELLO, command: ['sh', '-c', 'sleep 1000'], volumeMounts: [{ name: 'secret', mountPath: '/s' }, { name: 'mem', mountPath: '/m' }] }],
    }));
    await waitPod('away', 'Running', running);
    const dir = join(podsDir(), created.metadata?.uid ?? '');
    expect(mountsUnder(dir)).toHaveLength(2);
    await agent.stop();
    await cluster.client.delete(R.pods, 'away', { namespace: 'default', gracePeriodSeconds: 0 });
    await waitFor(() => cluster.client.get(R.pods, 'away', 'default').then(() => undefined, () => true), 'pod gone from the API', 10_000);
    expect(existsSync(dir)).toBe(true);
    agent = newAgent();
    await agent.start();
    await waitFor(() => (!existsSync(dir) ? true : undefined), 'the orphaned volume directory removed', 20_000);
    expect(mountsUnder(dir)).toEqual([]);
  });

  it('applies the pod\'s fsGroup to its volumes and gives the token file to the containers\' runAsUser', async () => {
    await cluster.client.create(R.configmaps, { metadata: { name: 'grouped', namespace: 'default' }, data: { k: 'v' } });
    const created = await cluster.client.create<Pod>(R.pods, podSpecOf('grouped', node.name, {
      securityContext: { fsGroup: 2000 },
      volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'cfg', configMap: { name: 'grouped' } }],
      containers: [{
        name: 'app', image: HELLO, command: ['sh', '-c', 'sleep 1000'], securityContext: { runAsUser: 1000 },
        volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }, { name: 'cfg', mountPath: '/cfg' }],
      }],
    }));
    const p = await waitPod('grouped', 'Running', running);
    const uid = created.metadata?.uid ?? '';
    const vol = (plugin: string, name: string): string => join(podsDir(), uid, 'volumes', `kubernetes.io~${plugin}`, name);
    const access = p.spec?.volumes?.find((v) => v.name.startsWith('kube-api-access-'))?.name ?? '';
    const scratch = statSync(vol('empty-dir', 'scratch'));
    expect([scratch.gid, scratch.mode & 0o7777]).toEqual([2000, 0o2777]);
    const cfg = statSync(join(vol('configmap', 'cfg'), 'k'));
    expect([cfg.gid, cfg.mode & 0o7777]).toEqual([2000, 0o644]);
    const token = statSync(join(vol('projected', access), 'token'));
    expect([token.uid, token.gid, token.mode & 0o7777]).toEqual([1000, 2000, 0o640]);
    const id = appId(p);
    expect(await sh(id, 'id -u; id -G')).toMatch(/^1000\n(.* )?2000( .*)?\n$/);
    expect(await sh(id, 'touch /scratch/mine && cat /cfg/k /var/run/secrets/kubernetes.io/serviceaccount/token | head -c 3')).toBe('vey');
    await deleteAndCheckClean('grouped', uid);
  });
});
