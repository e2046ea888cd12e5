// The EndpointSlice controller: for each service with a selector, EndpointSlices (IPv4, at most
// 100 endpoints each, one group per set of resolved ports) labelled kubernetes.io/service-name
// and managed-by endpointslice-controller.k8s.io, owned by the service.
import type { EndpointSlice, KObject, Service, SliceEndpoint } from '../api/types';
import { isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { enqueueServicesOfPod } from './endpoints';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import { R, keyOf, splitKey } from '../client/refs';
import type { ResolvedPort } from './service-pods';
import { podEndpointState, podPorts, sameJson, servicePods } from './service-pods';
import { WorkQueue, runWorkers } from '../client/workqueue';

const MAX_PER_SLICE = 100;
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';

interface Desired {
  ports: ResolvedPort[];
  endpoints: SliceEndpoint[];
}

export function newEndpointSliceController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const svcInf = informers.services;
  const podInf = informers.pods;
  const sliceInf = informers.informer('endpointslices');
  const queue = new WorkQueue<string>();
  /** Slices this controller created that its informer has not shown yet (avoids duplicates). */
  const awaiting = new Map<string, Set<string>>();

  function slicesOf(namespace: string, name: string): EndpointSlice[] {
    return sliceInf.byIndex(BY_NAMESPACE, namespace)
      .filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === name && s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) as unknown as EndpointSlice[];
  }

  function register(): () => void {
    const offs = [
      svcInf.addHandler({ add: (s) => queue.add(keyOf(s)), update: (_o, s) => queue.add(keyOf(s)), delete: (s) => queue.add(keyOf(s)) }),
      podInf.addHandler({
        add: (p) => enqueueServicesOfPod(svcInf, queue, p),
        update: (o, p) => {
          const ready = (x: typeof p) => x.status?.conditions?.find((c) => c.type === 'Ready')?.status;
          if (o.status?.podIP === p.status?.podIP && ready(o) === ready(p) && !!o.metadata?.deletionTimestamp === !!p.metadata?.deletionTimestamp &&
            sameJson(o.metadata?.labels, p.metadata?.labels) && o.spec?.nodeName === p.spec?.nodeName) return;
          enqueueServicesOfPod(svcInf, queue, o, p);
        },
        delete: (p) => enqueueServicesOfPod(svcInf, queue, p),
      }),
    ];
    return () => offs.forEach((f) => f());
  }

  function desired(svc: Service): Desired[] {
    const groups = new Map<string, Desired>();
    for (const pod of servicePods(svc, podInf)) {
      const st = podEndpointState(svc, pod);
      if (!st.include) continue;
      const ports = podPorts(svc, pod);
      const k = JSON.stringify(ports);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { ports, endpoints: [] }));
      g.endpoints.push({
        addresses: [pod.status!.podIP!],
        conditions: { ready: st.ready, serving: st.serving, terminating: st.terminating },
        ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
      });
    }
    const out: Desired[] = [];
    for (const g of groups.values()) {
      g.endpoints.sort((a, b) => (a.addresses[0] < b.addresses[0] ? -1 : 1));
      for (let i = 0; i < g.endpoints.length; i += MAX_PER_SLICE) out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_PER_SLICE) });
    }
    if (!out.length) out.push({ ports: [], endpoints: [] });
    return out;
  }

  async function sync(key: string): Promise<void> {
    const { namespace = 'default', name } = splitKey(key);
    const svc = svcInf.get(key);
    const wait = awaiting.get(key);
    if (wait) {
      for (const n of wait) if (sliceInf.getByName(namespace, n)) wait.delete(n);
      if (wait.size) return queue.addAfter(key, 50);
      awaiting.delete(key);
    }
    const existing = slicesOf(namespace, name);
    if (!svc || !svc.spec?.selector || !Object.keys(svc.spec.selector).length) {
      if (!svc) for (const s of existing) await del(s);
      return;
    }
    const want = desired(svc);
    const labels = { ...(svc.metadata?.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY };
    const owner = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
    for (let i = 0; i < want.length; i++) {
      const d = want[i];
      const cur = existing[i];
      if (cur) {
        if (sameJson(cur.endpoints ?? [], d.endpoints) && sameJson(cur.ports ?? [], d.ports) && sameJson(cur.metadata?.labels, labels)) continue;
        await client.patch(R.endpointslices, cur.metadata!.name!, { metadata: { labels }, endpoints: d.endpoints, ports: d.ports }, 'merge', { namespace });
      } else {
        const slice: EndpointSlice = {
          apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
          metadata: { generateName: `${name}-`, namespace, labels, ownerReferences: [owner] },
          addressType: 'IPv4', endpoints: d.endpoints, ports: d.ports,
        };
        const created = await client.create(R.endpointslices, slice as unknown as KObject, { namespace });
        let w = awaiting.get(key);
        if (!w) awaiting.set(key, (w = new Set()));
        w.add(created.metadata?.name ?? '');
      }
    }
    for (const s of existing.slice(want.length)) await del(s);
  }

  async function del(s: EndpointSlice): Promise<void> {
    try {
      await client.delete(R.endpointslices, s.metadata!.name!, { namespace: s.metadata!.namespace });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return { name: 'endpointslice', register, run: () => runWorkers(queue, 2, sync, (k, e) => ctx.log(`endpointslice ${k}: ${e instanceof Error ? e.message : String(e)}`)) };
}
