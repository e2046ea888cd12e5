// Ingress status: every Ingress the proxy serves gets status.loadBalancer.ingress = the proxy's address on the host
// (127.0.0.1, hostname localhost, with the ports it listens on), so `kubectl get ingress` shows it under ADDRESS.
import type { Ingress } from '../api/types';
import { R } from '../client/refs';
import type { ApiClient } from '../client/types';
import type { IngressState } from './state';

export interface ProxyAddress {
  ip: string;
  hostname: string;
  ports: number[];
}

type LoadBalancerIngress = NonNullable<NonNullable<NonNullable<Ingress['status']>['loadBalancer']>['ingress']>[number];

export function loadBalancerEntry(a: ProxyAddress): LoadBalancerIngress {
  return { ip: a.ip, hostname: a.hostname, ports: a.ports.map((port) => ({ port, protocol: 'TCP' })) };
}

/** Writes the address into each served Ingress whose status differs; returns a stop function. */
export function startStatusWriter(client: ApiClient, state: IngressState, address: ProxyAddress, log: (l: string) => void): () => void {
  const want = [loadBalancerEntry(address)];
  const inFlight = new Set<string>();
  let stopped = false;
  const sync = (): void => {
    if (stopped) return;
    for (const ing of state.ingresses.list()) {
      const ns = ing.metadata?.namespace ?? 'default';
      const name = ing.metadata?.name ?? '';
      const key = `${ns}/${name}`;
      if (!state.serves(ing) || inFlight.has(key) || JSON.stringify(ing.status?.loadBalancer?.ingress ?? []) === JSON.stringify(want)) continue;
      inFlight.add(key);
      client.patch(R.ingresses, name, { status: { loadBalancer: { ingress: want } } }, 'merge', { namespace: ns, subresource: 'status' }).then(
        () => inFlight.delete(key),
        (e: unknown) => { inFlight.delete(key); if (!stopped) log(`ingress: status of ${key}: ${e instanceof Error ? e.message : String(e)}`); },
      );
    }
  };
  const off = state.onChange(sync);
  void state.synced().then(sync);
  return () => { stopped = true; off(); };
}
