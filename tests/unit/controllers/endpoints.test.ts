// The Endpoints and EndpointSlice controllers, each alone on an in-process control plane: a
// service's pods as addresses / endpoints by readiness, termination and resolved ports.
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Endpoints, Pod, Service } from '../../../main/api/types';
import { controlPlaneEach, type ControlPlane } from '../../helpers/control-plane';
import { registerNode, runPod } from '../../helpers/node-standin';

const POD = { apiVersion: 'v1', kind: 'Pod' };
const EP = { apiVersion: 'v1', kind: 'Endpoints' };
const SLICE = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' };

/** A service on port 80 → the pods' port named http; pods ready, not ready, terminating, and one without the port. */
async function scene(cp: ControlPlane): Promise<Record<string, Pod>> {
  await registerNode(cp, 'n1');
  await cp.create<Service>({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } });
  const out: Record<string, Pod> = {};
  for (const [name, ready, port] of [['ready', true, true], ['unready', false, true], ['going', true, true], ['portless', true, false]] as const) {
    const pod = await cp.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x', ports: port ? [{ name: 'http', containerPort: 8080 }] : [] }] } });
    out[name] = await runPod(cp, pod, 'n1', ready);
  }
  await cp.delete(POD, 'going', { namespace: 'default' }); // bound: terminating until its kubelet confirms
  return out;
}
const ip = (p: Pod) => p.status!.podIP!;

/**
 * An ExternalName Service whose selector matches the pods (as `kubectl create service externalname` makes it), created
 * before `scene`'s Service: once that one's objects are written, the ExternalName one has been reconciled.
 */
async function externalName(cp: ControlPlane): Promise<void> {
  await cp.create<Service>({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com', selector: { app: 'web' } } });
}

describe('endpoints controller', () => {
  const cp = controlPlaneEach('endpoints');

  it('lists ready pods in addresses, not-ready ones in notReadyAddresses, leaves out terminating pods and pods without the port', async () => {
    const pods = await scene(cp);
    const ep = await cp.waitFor(async () => { const e = await cp.find<Endpoints>(EP, 'web', 'default'); return e?.subsets?.[0]?.notReadyAddresses?.length && e.subsets[0].addresses?.length === 1 ? e : undefined; }, 'endpoints');
    expect(ep.metadata?.labels).toEqual({ tier: 'front' });
    expect(ep.subsets).toEqual([{
      addresses: [{ ip: ip(pods.ready), nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'ready', uid: pods.ready.metadata!.uid } }],
      notReadyAddresses: [{ ip: ip(pods.unready), nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'unready', uid: pods.unready.metadata!.uid } }],
      ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
    }]);
    await cp.delete({ apiVersion: 'v1', kind: 'Service' }, 'web', { namespace: 'default' });
    await cp.waitFor(async () => !(await cp.find(EP, 'web', 'default')), 'endpoints deleted with the service');
  });

  it('makes no Endpoints for an ExternalName Service, even with a selector that matches pods', async () => {
    await externalName(cp);
    await scene(cp);
    await cp.waitFor(async () => (await cp.find<Endpoints>(EP, 'web', 'default'))?.subsets?.[0]?.addresses?.length === 1 || undefined, 'the ClusterIP service\'s endpoints');
    expect(await cp.find(EP, 'ext', 'default')).toBeUndefined();
  });
});

describe('endpointslice controller', () => {
  const cp = controlPlaneEach('endpointslice');

  it('writes one slice per port set, with ready/serving/terminating conditions, owned by the service', async () => {
    const pods = await scene(cp);
    const slices = await cp.waitFor(async () => { const l = await cp.list<EndpointSlice>(SLICE, 'default', 'kubernetes.io/service-name=web'); const going = l.flatMap((s) => s.endpoints ?? []).find((e) => e.targetRef?.name === 'going'); return l.length === 2 && going?.conditions?.terminating ? l : undefined; }, 'two slices, one pod terminating');
    const byPorts = new Map(slices.map((s) => [JSON.stringify(s.ports), s]));
    const withPort = byPorts.get(JSON.stringify([{ name: 'web', port: 8080, protocol: 'TCP' }]))!;
    expect(withPort.metadata?.labels).toMatchObject({ tier: 'front', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(withPort.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', controller: true });
    expect(withPort.addressType).toBe('IPv4');
    const cond = Object.fromEntries((withPort.endpoints ?? []).map((e) => [String(e.targetRef?.name), e.conditions]));
    expect(cond).toEqual({
      ready: { ready: true, serving: true, terminating: false },
      unready: { ready: false, serving: false, terminating: false },
      going: { ready: false, serving: true, terminating: true },
    });
    expect(byPorts.get('[]')?.endpoints?.map((e) => e.addresses)).toEqual([[ip(pods.portless)]]);
  });

  it('makes no EndpointSlices for an ExternalName Service, even with a selector that matches pods', async () => {
    await externalName(cp);
    await scene(cp);
    await cp.waitFor(async () => (await cp.list<EndpointSlice>(SLICE, 'default', 'kubernetes.io/service-name=web')).length === 2 || undefined, 'the ClusterIP service\'s slices');
    expect(await cp.list<EndpointSlice>(SLICE, 'default', 'kubernetes.io/service-name=ext')).toEqual([]);
  });
});
