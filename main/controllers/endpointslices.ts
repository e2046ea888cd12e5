// The EndpointSlice controller: for each service with a selector, EndpointSlices (IPv4, at most
// 100 endpoints each, one group per set of resolved ports) labelled kubernetes.io/service-name
// and managed-by endpointslice-controller.k8s.io, owned by the service.
import type { EndpointSlice, KObject, OwnerReference, Pod, Service, SliceEndpoint } from '../api/types';
import type { Informer } from '../client/cache/informer';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R, splitKey } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';
import { traceSliceWrite } from './endpointslice-spans';
import type { EndpointState, ResolvedPort } from './service-pods';
import { endpointGroups, endpointHostname, endpointsChanged, podTargetRef, sameJson, servicesOfPod } from './service-pods';

const MAX_PER_SLICE = 100;
/** How soon to look again while slices this controller created have not reached its informer. */
const AWAIT_CREATED_MS = 50;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const MANAGED_BY = 'endpointslice-controller.k8s.io';

interface Desired {
  ports: ResolvedPort[];
  endpoints: SliceEndpoint[];
}

function endpointOf(svc: Service, pod: Pod, st: EndpointState): SliceEndpoint {
  return {
    addresses: [pod.status!.podIP!],
    ...endpointHostname(svc, pod),
    conditions: { ready: st.ready, serving: st.serving, terminating: st.terminating },
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: podTargetRef(pod),
  };
}

/** The slices the service should have: its endpoints grouped by resolved ports, sorted, cut into slices of 100. */
function desiredSlices(svc: Service, pods: Informer<Pod>): Desired[] {
  const out: Desired[] = [];
  for (const g of endpointGroups(svc, pods)) {
    const endpoints = g.members.map((m) => endpointOf(svc, m.pod, m.state)).sort((a, b) => (a.addresses[0] < b.addresses[0] ? -1 : 1));
    for (let i = 0; i < endpoints.length; i += MAX_PER_SLICE) out.push({ ports: g.ports, endpoints: endpoints.slice(i, i + MAX_PER_SLICE) });
  }
  if (!out.length) out.push({ ports: [], endpoints: [] });
  return out;
}

export function newEndpointSliceController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const services = informers.services;
  const pods = informers.pods;
  const sliceInf = informers.informer('endpointslices');
  /** Slices this controller created that its informer has not shown yet (avoids duplicates). */
  const awaiting = new Map<string, Set<string>>();

  function slicesOf(namespace: string, name: string): EndpointSlice[] {
    return sliceInf.byIndex(BY_NAMESPACE, namespace)
      .filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === name && s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) as unknown as EndpointSlice[];
  }

  /** Whether slices created for the service have all reached the informer. */
  function caughtUp(key: string, namespace: string): boolean {
    const wait = awaiting.get(key);
    if (!wait) return true;
    for (const n of wait) if (sliceInf.getByName(namespace, n)) wait.delete(n);
    if (wait.size) return false;
    awaiting.delete(key);
    return true;
  }

  async function reconcile(key: string): Promise<ReconcileResult | undefined> {
    const { namespace = 'default', name } = splitKey(key);
    if (!caughtUp(key, namespace)) return { requeueAfter: AWAIT_CREATED_MS };
    const existing = slicesOf(namespace, name);
    const svc = services.get(key);
    if (!svc) {
      for (const s of existing) await deleteSlice(s);
      return;
    }
    // An ExternalName Service gets none, whatever its selector (kubectl create service externalname sets one): issue 105986.
    if (svc.spec?.type === 'ExternalName') return;
    if (!svc.spec?.selector || !Object.keys(svc.spec.selector).length) return;
    await reconcileSlices(key, svc, existing, desiredSlices(svc, pods));
  }

  /** Updates the existing slices in order, creates the missing ones, deletes the rest. */
  async function reconcileSlices(key: string, svc: Service, existing: EndpointSlice[], want: Desired[]): Promise<void> {
    const namespace = svc.metadata!.namespace!;
    const name = svc.metadata!.name!;
    const labels = { ...(svc.metadata?.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY };
    const owner: OwnerReference = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
    for (const [i, d] of want.entries()) {
      const cur = existing[i];
      const start = Date.now();
      if (!cur) {
        const made = await createSlice(key, namespace, { metadata: { generateName: `${name}-`, namespace, labels, ownerReferences: [owner] }, ...d });
        traceSliceWrite(name, made, [], d.endpoints, start);
      } else if (!sameJson(cur.endpoints ?? [], d.endpoints) || !sameJson(cur.ports ?? [], d.ports) || !sameJson(cur.metadata?.labels, labels)) {
        await client.patch(R.endpointslices, cur.metadata!.name!, { metadata: { labels }, endpoints: d.endpoints, ports: d.ports }, 'merge', { namespace });
        traceSliceWrite(name, cur.metadata!.name!, cur.endpoints ?? [], d.endpoints, start);
      }
    }
    for (const s of existing.slice(want.length)) {
      const start = Date.now();
      await deleteSlice(s);
      traceSliceWrite(name, s.metadata!.name!, s.endpoints ?? [], [], start);
    }
  }

  async function createSlice(key: string, namespace: string, s: Desired & { metadata: EndpointSlice['metadata'] }): Promise<string> {
    const slice: EndpointSlice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4', ...s };
    const created = await client.create(R.endpointslices, slice as unknown as KObject, { namespace });
    let w = awaiting.get(key);
    if (!w) awaiting.set(key, (w = new Set()));
    w.add(created.metadata?.name ?? '');
    return created.metadata?.name ?? '';
  }

  async function deleteSlice(s: EndpointSlice): Promise<void> {
    await ignoreNotFound(client.delete(R.endpointslices, s.metadata!.name!, { namespace: s.metadata!.namespace }));
  }

  return newReconciler(ctx, 'endpointslice', { workers: 2 })
    .for('services')
    .watches<Pod>('pods', (p) => servicesOfPod(services, p), { update: endpointsChanged })
    .complete(reconcile);
}
