// A StatefulSet on a real sandbox node (containerd, runc, the real agent bundle, real kubectl, the
// local-path provisioner): two replicas behind a headless Service with a volumeClaimTemplate come
// up in order (web-1 only once web-0 is Running and Ready); what a pod wrote to its claim survives
// the pod's deletion (its successor of the same name mounts the same claim); the headless Service
// publishes each pod under its hostname and `<pod>.<service>.<namespace>.svc.cluster.local` resolves
// from the other pod (the short `web-0.web` timed out with busybox nslookup here, as `kubernetes.default`
// does from any pod: it seems to go out as it is, to upstream DNS this machine lacks); a rolling update with partition 1
// replaces web-1 only.
import { describe, expect, it } from 'vitest';
import type { Pod, StatefulSet, WatchEvent } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { isPodReady } from '../../../main/controllers/pod-util';
import { waitFor } from '../../helpers/cluster';
import { skipWithoutAgent, sandboxCluster } from './support';

const MANIFEST = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  clusterIP: None
  selector: { app: web }
  ports: [{ name: http, port: 80 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: web }
spec:
  serviceName: web
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: sh
        image: docker.io/flotilla/hello:1
        command: [sh, -c, '[ -f /data/token ] || echo "$(hostname)-$RANDOM$RANDOM" > /data/token; sleep 3600']
        volumeMounts: [{ name: data, mountPath: /data }]
  volumeClaimTemplates:
  - metadata: { name: data }
    spec:
      accessModes: [ReadWriteOnce]
      resources: { requests: { storage: 100Mi } }
`;

describe.skipIf(skipWithoutAgent)('a StatefulSet on a sandbox node', () => {
  const { c, ok } = sandboxCluster(13, { okTimeoutMs: 90_000 });

  const get = (name: string) => c.client.get<Pod>(R.pods, name, 'default');
  const running = (name: string, notUid?: string) => waitFor(async () => {
    const p = await get(name).catch(() => undefined);
    const up = p && p.metadata?.uid !== notUid && !p.metadata?.deletionTimestamp && p.status?.containerStatuses?.[0]?.state?.running && isPodReady(p);
    return up ? p : undefined;
  }, `pod ${name} running and ready`, 120_000, 250);
  const token = async (name: string) => (await ok(['exec', name, '--', 'cat', '/data/token'])).trim();

  it('comes up in order, keeps each pod\'s data across its deletion, resolves <pod>.<service>, and updates only ordinals at or above the partition', async () => {
    // Watch the pods from the start: when web-1 appears, web-0 must already be Running and Ready.
    const latest = new Map<string, Pod>();
    const readyAtWeb1: boolean[] = [];
    const w = c.client.watch<Pod>(R.pods, { namespace: 'default' }, (ev: WatchEvent<Pod>) => {
      const name = ev.object.metadata?.name ?? '';
      if (ev.type === 'ADDED' && name === 'web-1') {
        const p0 = latest.get('web-0');
        readyAtWeb1.push(!!p0 && p0.status?.phase === 'Running' && isPodReady(p0));
      }
      latest.set(name, ev.object);
    }, () => undefined);
    try {
      await ok(['apply', '-f', '-'], MANIFEST);
      expect(await ok(['rollout', 'status', 'sts/web', '--timeout=120s'])).toContain('partitioned roll out complete: 2 new pods have been updated...');
    } finally {
      w.stop();
    }
    expect(readyAtWeb1).toEqual([true]);
    expect((await ok(['get', 'sts', 'web', '--no-headers'])).trim()).toMatch(/^web\s+2\/2\s+\S+$/);
    expect((await ok(['get', 'pvc', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}'])).trim()).toBe('data-web-0=Bound data-web-1=Bound');

    // Each pod's data survives its deletion: the successor mounts the same claim.
    const [t0, t1] = [await token('web-0'), await token('web-1')];
    expect(t0).toMatch(/^web-0-\d+$/);
    expect(t1).toMatch(/^web-1-\d+$/);
    const old0 = await get('web-0');
    await ok(['delete', 'pod', 'web-0']);
    await running('web-0', old0.metadata?.uid);
    expect(await token('web-0')).toBe(t0);

    // The headless Service publishes each pod under its hostname: <pod>.<service> in cluster DNS.
    const ip0 = (await running('web-0')).status?.podIP ?? '';
    await waitFor(async () => (await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o',
      'jsonpath={range .items[*].endpoints[*]}{.hostname}={.addresses[0]} {end}'])).includes(`web-0=${ip0}`), 'web-0 published as web-0.web', 30_000, 250);
    let answer = '';
    await waitFor(async () => {
      const r = await c.kubectl(['exec', 'web-1', '--', 'nslookup', 'web-0.web.default.svc.cluster.local'], { timeoutMs: 30_000 });
      answer = r.stdout + r.stderr;
      return answer.includes(`Address: ${ip0}`);
    }, 'web-0.web.default.svc.cluster.local resolving to web-0', 60_000, 500).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}: ${answer}`);
    });

    // A rolling update with partition 1: web-1 is replaced at the new revision, web-0 stays.
    const before = (JSON.parse(await ok(['get', 'sts', 'web', '-o', 'json'])) as StatefulSet).status?.currentRevision;
    const keep0 = await get('web-0');
    const old1 = await get('web-1');
    await ok(['patch', 'sts', 'web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":1}},"template":{"metadata":{"annotations":{"rev":"2"}}}}}']);
    expect(await ok(['rollout', 'status', 'sts/web', '--timeout=120s'])).toContain('partitioned roll out complete: 1 new pods have been updated...');
    const new1 = await running('web-1', old1.metadata?.uid);
    const set = JSON.parse(await ok(['get', 'sts', 'web', '-o', 'json'])) as StatefulSet;
    expect(set.status?.updateRevision).not.toBe(before);
    expect(new1.metadata?.labels?.['controller-revision-hash']).toBe(set.status?.updateRevision);
    expect(new1.metadata?.annotations?.rev).toBe('2');
    const same0 = await get('web-0');
    expect(same0.metadata?.uid).toBe(keep0.metadata?.uid);
    expect(same0.metadata?.labels?.['controller-revision-hash']).toBe(before);
    expect(await token('web-1')).toBe(t1);
  }, 400_000);
});
