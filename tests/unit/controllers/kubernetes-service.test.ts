// The kubernetes Service controller alone: default/kubernetes at 10.96.0.1:443, its Endpoints and
// EndpointSlice at the Ready nodes' InternalIPs on 6443 — none (no subsets) while no node is Ready.
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Endpoints, Node, Service } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';

const SVC = { apiVersion: 'v1', kind: 'Service' };
const EP = { apiVersion: 'v1', kind: 'Endpoints' };
const SLICE = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' };
const NODE = { apiVersion: 'v1', kind: 'Node' };

const cp = controlPlaneEach('kubernetes-service');

async function node(name: string, ip: string, ready: boolean): Promise<void> {
  await cp.create<Node>({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
  await cp.patchStatus(NODE, name, undefined, {
    addresses: [{ type: 'InternalIP', address: ip }],
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: 'KubeletReady' }],
  });
}

const ips = (ep: Endpoints | undefined): string[] => (ep?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));

describe('kubernetes Service controller', () => {
  it('keeps default/kubernetes and its endpoints at the Ready nodes, with no subsets while none is Ready', async () => {
    const svc = await cp.waitFor(() => cp.find<Service>(SVC, 'kubernetes', 'default'), 'kubernetes Service');
    expect(svc.spec).toMatchObject({ clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] });
    const empty = await cp.waitFor(() => cp.find<Endpoints>(EP, 'kubernetes', 'default'), 'Endpoints');
    expect(empty.subsets).toBeUndefined();
    expect(cp.logs.filter((l) => l.includes('kubernetes-service'))).toEqual([]);

    await node('n1', '10.250.0.2', true);
    await node('n2', '10.250.0.3', false);
    await cp.waitFor(async () => ips(await cp.find<Endpoints>(EP, 'kubernetes', 'default')).join() === '10.250.0.2', 'the Ready node in Endpoints');
    const slice = await cp.get<EndpointSlice>(SLICE, 'kubernetes', 'default');
    expect(slice.endpoints?.map((e) => e.addresses[0])).toEqual(['10.250.0.2']);
    expect(slice.ports).toEqual([{ name: 'https', port: 6443, protocol: 'TCP' }]);

    // n2 turning Ready is a change the controller must see (a heartbeat alone is not).
    await cp.patchStatus(NODE, 'n2', undefined, { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] });
    await cp.waitFor(async () => ips(await cp.find<Endpoints>(EP, 'kubernetes', 'default')).join() === '10.250.0.2,10.250.0.3', 'both nodes in Endpoints');
  });
});
