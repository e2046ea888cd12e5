// The Endpoints controller: for each service with a selector, an Endpoints object listing its
// pods' IPs (ready in addresses, not ready in notReadyAddresses) per set of resolved ports.
import type { EndpointAddress, EndpointSubset, Endpoints, KObject, Pod, Service } from '../api/types';
import type { Informer } from '../client/cache/informer';
import { newReconciler } from '../client/reconciler';
import { R, splitKey } from '../client/refs';
import { isAlreadyExists } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';
import { endpointGroups, endpointHostname, endpointsChanged, podTargetRef, sameJson, servicesOfPod } from './service-pods';

function byIP(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0;
}

function addressOf(svc: Service, pod: Pod): EndpointAddress {
  return {
    ip: pod.status!.podIP!,
    ...endpointHostname(svc, pod),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: podTargetRef(pod),
  };
}

/** The service's pods as subsets: one per set of resolved ports, addresses sorted by IP. */
function subsetsFor(svc: Service, pods: Informer<Pod>): EndpointSubset[] {
  const subsets: EndpointSubset[] = [];
  const hasPorts = (svc.spec?.ports ?? []).length > 0;
  for (const g of endpointGroups(svc, pods)) {
    if (!g.ports.length && hasPorts) continue; // the pod serves none of the service's ports
    const members = g.members.filter((m) => !m.state.terminating || svc.spec?.publishNotReadyAddresses);
    if (!members.length) continue;
    const addresses = members.filter((m) => m.state.ready).map((m) => addressOf(svc, m.pod)).sort(byIP);
    const notReady = members.filter((m) => !m.state.ready).map((m) => addressOf(svc, m.pod)).sort(byIP);
    const s: EndpointSubset = {};
    if (addresses.length) s.addresses = addresses;
    if (notReady.length) s.notReadyAddresses = notReady;
    if (g.ports.length) s.ports = g.ports.map((p) => ({ ...p }));
    subsets.push(s);
  }
  return subsets;
}

export function newEndpointsController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const services = informers.services;
  const pods = informers.pods;
  const endpoints = informers.informer('endpoints');

  async function reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = services.get(key);
    if (!svc) {
      if (endpoints.get(key)) await ignoreNotFound(client.delete(R.endpoints, name, { namespace }));
      return;
    }
    // An ExternalName Service gets none, whatever its selector (kubectl create service externalname sets one): issue 105986.
    if (svc.spec?.type === 'ExternalName') return;
    if (!svc.spec?.selector || !Object.keys(svc.spec.selector).length) return;
    await write(namespace!, name, { ...(svc.metadata?.labels ?? {}) }, subsetsFor(svc, pods), endpoints.get(key) as (Endpoints & KObject) | undefined);
  }

  async function write(namespace: string, name: string, labels: Record<string, string>, subsets: EndpointSubset[], cur: Endpoints | undefined): Promise<void> {
    if (cur && sameJson(cur.subsets ?? [], subsets) && sameJson(cur.metadata?.labels ?? {}, labels)) return;
    if (!cur) {
      const body: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets };
      try {
        await client.create(R.endpoints, body as KObject, { namespace });
        return;
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    }
    await client.patch(R.endpoints, name, { metadata: { labels }, subsets }, 'merge', { namespace });
  }

  return newReconciler(ctx, 'endpoints', { workers: 2 })
    .for('services')
    .watches<Pod>('pods', (p) => servicesOfPod(services, p), { update: endpointsChanged })
    .complete(reconcile);
}
