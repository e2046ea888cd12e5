// The host's way into a sandbox cluster: routes to the nodes' podCIDRs, the service CIDR and the load balancer pool
// (host-route-plan.ts), kept current from the Node and Service informers and a periodic pass (which also re-asks the
// health check ports of externalTrafficPolicy Local load balancers), applied by HostRouteTable; every route goes
// when the node manager stops. Only nodes `routable` says the host reaches directly (this data dir's sandbox nodes).
// The periodic pass comes every resyncMs while there is something to re-ask (a Local load balancer's health checks,
// a node with an address not routable yet) and every idleResyncMs otherwise: an idle cluster's host wakes up less.
import * as http from 'node:http';
import { cidrContains } from '../api/load-balancer';
import type { ApiClient } from '../client/types';
import { SharedInformers } from '../client/cache/shared-informers';
import { HostRouteTable } from './host-route-table';
import { planHostRoutes, routedNode, type RoutedNode } from './host-route-plan';

export interface HostRoutesOptions {
  client: ApiClient;
  log: (line: string) => void;
  /** Whether the host reaches this node at this address directly (a sandbox node of this data dir). */
  routable(name: string, ip: string): boolean;
  serviceCIDR: string;
  loadBalancerPool: string;
  /** How often routes and health checks are re-examined without a change while there is something to re-ask (default 5 s). */
  resyncMs?: number;
  /** The same when nothing depends on time (no Local load balancer, every node with an address routable; default 60 s). */
  idleResyncMs?: number;
}

export interface HostRoutes {
  /** Resolves after a pass that started after this call. */
  synced(): Promise<void>;
  stop(): Promise<void>;
}

/** GET http://ip:port/ answered 200 (kube-proxy's service health check: the node has local endpoints). */
export function healthCheckPasses(ip: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: ip, port, path: '/', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export function startHostRoutes(o: HostRoutesOptions): HostRoutes {
  const informers = new SharedInformers(o.client, o.log);
  const nodes = informers.nodes;
  const services = informers.services;
  const table = new HostRouteTable(o.log);
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  /** Whether the last pass asked a health check port or skipped a node it may route later. */
  let timeDependent = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** (Re)arms the periodic pass's timer for the period the last pass called for. */
  function resync(): void {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => void request().then(resync), timeDependent ? o.resyncMs ?? 5000 : o.idleResyncMs ?? 60_000);
    timer.unref();
  }

  async function localBackends(routed: RoutedNode[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const s of services.list()) {
      const port = s.spec?.healthCheckNodePort;
      if (s.spec?.type !== 'LoadBalancer' || s.spec.externalTrafficPolicy !== 'Local' || !port) continue;
      for (const ing of s.status?.loadBalancer?.ingress ?? []) {
        if (!ing.ip || !cidrContains(o.loadBalancerPool, ing.ip)) continue;
        const ok = await Promise.all(routed.filter((n) => n.ready).map(async (n) => ((await healthCheckPasses(n.ip, port)) ? n.name : '')));
        out.set(ing.ip, ok.filter(Boolean));
      }
    }
    return out;
  }

  async function pass(): Promise<void> {
    const withAddress = nodes.list().map(routedNode).filter((n): n is RoutedNode => !!n);
    const routed = withAddress.filter((n) => o.routable(n.name, n.ip));
    const backends = await localBackends(routed);
    const was = timeDependent;
    timeDependent = backends.size > 0 || routed.length < withAddress.length;
    if (timeDependent && !was) resync(); // the idle period's timer would come too late
    const desired = planHostRoutes({ nodes: routed, serviceCIDR: o.serviceCIDR, loadBalancerPool: o.loadBalancerPool, localBackends: backends });
    if (!stopped) await table.sync(desired);
  }

  function request(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await pass();
        } catch (e) {
          o.log(`host routes: ${e instanceof Error ? e.message : String(e)}`);
        }
      } while (again && !stopped);
      running = undefined;
    })();
    return running;
  }

  const onAny = { add: () => void request(), update: () => void request(), delete: () => void request() };
  nodes.addHandler(onAny);
  services.addHandler(onAny);
  const stopInformers = informers.start();
  resync();

  return {
    async synced() {
      await informers.waitForSync();
      if (running) {
        again = true;
        await running;
      } else {
        await request();
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      stopInformers();
      await running;
      await table.clear();
    },
  };
}
