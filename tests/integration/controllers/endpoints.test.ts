// A service's Endpoints and EndpointSlices follow its pods: IPs, named target ports, and
// readiness flips (through the hollow kubelet's readiness hook).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Endpoints, KObject, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import type { TestCluster } from './cluster';
import { deploymentManifest, eventually, startTestCluster } from './cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster({ nodes: 2 });
});
afterAll(async () => {
  await c?.stop();
});

describe('endpoints', () => {
  it('follow pod readiness', async () => {
    await c.core.client.create(R.deployments, deploymentManifest('web', 3) as unknown as KObject);
    await c.core.client.create(R.services, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    });
    const pods = await eventually(async () => {
      const l = (await c.core.client.list(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items as unknown as Pod[];
      return l.length === 3 && l.every((p) => p.status?.podIP) ? l : undefined;
    }, 20_000, 'pods with IPs');
    const ips = pods.map((p) => p.status!.podIP!).sort();
    const ep = await eventually(async () => {
      const e = await c.core.client.get<Endpoints & KObject>(R.endpoints, 'web', 'default').catch(() => undefined);
      return e?.subsets?.[0]?.addresses?.length === 3 ? e : undefined;
    }, 10_000, 'endpoints');
    expect(ep.subsets![0].addresses!.map((a) => a.ip).sort()).toEqual(ips);
    expect(ep.subsets![0].ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    const out = await c.kubectl('get', 'endpoints', 'web');
    expect(out.stdout).toContain(':80');

    // Readiness flips to false: the address moves to notReadyAddresses, the slice says ready=false.
    const victim = pods[0];
    await c.hollow.setPodReady('default', victim.metadata!.name!, false);
    await eventually(async () => {
      const e = await c.core.client.get<Endpoints & KObject>(R.endpoints, 'web', 'default');
      return e.subsets?.[0]?.addresses?.length === 2 && e.subsets[0].notReadyAddresses?.[0]?.ip === victim.status!.podIP;
    }, 10_000, 'not ready address');
    await eventually(async () => {
      const l = (await c.core.client.list(R.endpointslices, { namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' })).items as unknown as EndpointSlice[];
      const e = l[0]?.endpoints?.find((x) => x.addresses[0] === victim.status!.podIP);
      return l.length === 1 && l[0].endpoints?.length === 3 && e?.conditions?.ready === false;
    }, 10_000, 'slice not ready');
    await c.hollow.setPodReady('default', victim.metadata!.name!, true);
    await eventually(async () => {
      const e = await c.core.client.get<Endpoints & KObject>(R.endpoints, 'web', 'default');
      return e.subsets?.[0]?.addresses?.length === 3 && !e.subsets[0].notReadyAddresses;
    }, 10_000, 'ready again');

    // Scaling down removes addresses.
    await c.kubectl('scale', 'deployment/web', '--replicas=1');
    await eventually(async () => {
      const e = await c.core.client.get<Endpoints & KObject>(R.endpoints, 'web', 'default');
      const n = (e.subsets ?? []).reduce((k, s) => k + (s.addresses?.length ?? 0), 0);
      return n === 1;
    }, 10_000, 'one address');
  });
});
