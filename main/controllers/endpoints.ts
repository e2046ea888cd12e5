// The Endpoints controller: for each service with a selector, an Endpoints object listing its
// pods' IPs (ready in addresses, not ready in notReadyAddresses) per set of resolved ports.
import type { EndpointAddress, EndpointSubset, Endpoints, KObject, Pod, Service } from '../api/types';
import { selectorFromSet } from '../api/labels';
import { isAlreadyExists, isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import type { Informer } from '../client/cache/informer';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import { R, keyOf } from '../client/refs';
import { podEndpointState, podPorts, sameJson, servicePods } from './service-pods';
import { WorkQueue, runWorkers } from '../client/workqueue';

/** Enqueues the services (of the pod's namespace) whose selector matches the pod before or after a change. */
export function enqueueServicesOfPod(services: Informer<Service>, queue: WorkQueue<string>, ...pods: Pod[]): void {
  const ns = pods[0]?.metadata?.namespace ?? '';
  for (const svc of services.byIndex(BY_NAMESPACE, ns)) {
    const sel = svc.spec?.selector;
    if (!sel || !Object.keys(sel).length) continue;
    const s = selectorFromSet(sel);
    if (pods.some((p) => s.matches(p.metadata?.labels))) queue.add(keyOf(svc));
  }
}

function byIP(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0;
}

export function newEndpointsController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const svcInf = informers.services;
  const podInf = informers.pods;
  const epInf = informers.informer('endpoints');
  const queue = new WorkQueue<string>();

  function register(): () => void {
    const offs = [
      svcInf.addHandler({ add: (s) => queue.add(keyOf(s)), update: (_o, s) => queue.add(keyOf(s)), delete: (s) => queue.add(keyOf(s)) }),
      podInf.addHandler({
        add: (p) => enqueueServicesOfPod(svcInf, queue, p),
        update: (o, p) => {
          if (o.status?.podIP === p.status?.podIP && sameJson(o.status?.conditions?.find((c) => c.type === 'Ready')?.status, p.status?.conditions?.find((c) => c.type === 'Ready')?.status) &&
            !!o.metadata?.deletionTimestamp === !!p.metadata?.deletionTimestamp && sameJson(o.metadata?.labels, p.metadata?.labels) && o.spec?.nodeName === p.spec?.nodeName) return;
          enqueueServicesOfPod(svcInf, queue, o, p);
        },
        delete: (p) => enqueueServicesOfPod(svcInf, queue, p),
      }),
    ];
    return () => offs.forEach((f) => f());
  }

  async function sync(key: string): Promise<void> {
    const svc = svcInf.get(key);
    const [namespace, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    if (!svc) {
      try {
        if (epInf.get(key)) await client.delete(R.endpoints, name, { namespace });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    if (!svc.spec?.selector || !Object.keys(svc.spec.selector).length) return;
    const groups = new Map<string, EndpointSubset & { addresses: EndpointAddress[]; notReadyAddresses: EndpointAddress[] }>();
    for (const pod of servicePods(svc, podInf)) {
      const st = podEndpointState(svc, pod);
      if (!st.include || (st.terminating && !svc.spec.publishNotReadyAddresses)) continue;
      const ports = podPorts(svc, pod);
      if (!ports.length && (svc.spec.ports ?? []).length) continue;
      const gk = JSON.stringify(ports);
      let g = groups.get(gk);
      if (!g) groups.set(gk, (g = { addresses: [], notReadyAddresses: [], ports: ports.map((p) => ({ ...p })) }));
      const addr: EndpointAddress = {
        ip: pod.status!.podIP!,
        ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
      };
      (st.ready ? g.addresses : g.notReadyAddresses).push(addr);
    }
    const subsets: EndpointSubset[] = [...groups.values()].map((g) => {
      const s: EndpointSubset = {};
      if (g.addresses.length) s.addresses = g.addresses.sort(byIP);
      if (g.notReadyAddresses.length) s.notReadyAddresses = g.notReadyAddresses.sort(byIP);
      if (g.ports?.length) s.ports = g.ports;
      return s;
    });
    const cur = epInf.get(key) as (Endpoints & KObject) | undefined;
    const labels = { ...(svc.metadata?.labels ?? {}) };
    if (cur && sameJson(cur.subsets ?? [], subsets) && sameJson(cur.metadata?.labels ?? {}, labels)) return;
    const body: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets };
    if (!cur) {
      try {
        await client.create(R.endpoints, body as KObject, { namespace });
        return;
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    }
    await client.patch(R.endpoints, name, { metadata: { labels }, subsets }, 'merge', { namespace });
  }

  return { name: 'endpoints', register, run: () => runWorkers(queue, 2, sync, (k, e) => ctx.log(`endpoints ${k}: ${e instanceof Error ? e.message : String(e)}`)) };
}
