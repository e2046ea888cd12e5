// A service's Endpoints and EndpointSlices follow its pods: IPs, named target ports, and
// readiness flips (through the hollow kubelet's readiness hook).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Endpoints, KObject, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';
import { deploymentManifest } from '../../helpers/manifests';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(2);
});
afterAll(async () => {
  await c?.stop();
});

describe('endpoints', () => {
  it('follow pod readiness', async () => {
    await c.core.client.create(R.deployments, deploymentManifest('web', 3));
    await c.core.client.create(R.services, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    });
    const pods = await waitFor(async () => {
      const l = (await c.core.client.list(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items as unknown as Pod[];
      return l.length === 3 && l.every((p) => p.status?.podIP) ? l : undefined;
    }, 'pods with IPs', 20_000);
    const ips = pods.map((p) => p.status!.podIP!).sort();
    const ep = await waitFor(async () => {
      const e = await c.core.client.get<Endpoints & KObject>(R.endpoints, 'web', 'default').catch(() => undefined);
      return e?.subsets?.[0]?.addresses?.length === 3 ? e : undefined;
    }, 'endpoints', 10_000);
    expect(ep.subsets![0].addresses!.map((a) => a.ip).sort()).toEqual(ips);
    expect(ep.subsets![0].ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    const out = await c.kubectl(['get', 'endpoints', 'web']);
    expect(out.stdout).toContain(':80');

    // Readiness flips to false: the address moves to notReadyAddresses, the slice says ready=false.
    const victim = pods[0];
    await c.hollow.setPodReady('default', victim.metadata!.name!, false);
    await waitFor(async () => {
      const e = await c.core.client.get<Endpoints & KObject>(R.endpoints, 'web', 'default');
      return e.subsets?.[0]?.addresses?.length === 2 && e.subsets[0].notReadyAddresses?.[0]?.ip === victim.status!.podIP;
    }, 'not ready address', 10_000);
    await waitFor(async () => {
      const l = (await c.core.client.list(R.endpointslices, { namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' })).items as unknown as EndpointSlice[];
      const e = l[0]?.endpoints?.find((x) => x.addresses[0] === victim.status!.podIP);
      return l.length === 1 && l[0].endpoints?.length === 3 && e?.conditions?.ready === false;
    }, 'slice not ready', 10_000);
    await c.hollow.setPodReady('default', victim.metadata!.name!, true);
    await waitFor(async () => {
      const e = await c.core.client.get<Endpoints & KObject>(R.endpoints, 'web', 'default');
      return e.subsets?.[0]?.addresses?.length === 3 && !e.subsets[0].notReadyAddresses;
    }, 'ready again', 10_000);

    // Scaling down removes addresses.
    await c.kubectl(['scale', 'deployment/web', '--replicas=1']);
    await waitFor(async () => {
      const e = await c.core.client.get<Endpoints & KObject>(R.endpoints, 'web', 'default');
      const n = (e.subsets ?? []).reduce((k, s) => k + (s.addresses?.length ?? 0), 0);
      return n === 1;
    }, 'one address', 10_000);
  });
});
