// The localhost load balancer (the mode Docker Desktop and k3d's servicelb use, for providers whose pod and load
// balancer addresses the host cannot route to): each TCP port of each LoadBalancer Service of our class is a listener
// on 127.0.0.1:<port>, forwarding each connection to a ready endpoint (round robin) through the agents' port-forward
// tunnels. A Service with a listener gets status.loadBalancer.ingress [{ip: 127.0.0.1, ipMode: Proxy}] (the nodes'
// proxiers leave Proxy addresses alone); a port another program (or an older Service) holds gets no listener and a
// Warning event naming it, and is tried again every retryMs. Listeners close when their Service goes, changes type or
// ports, and on stop.
import { FLOTILLA_LOAD_BALANCER_CLASS, LOAD_BALANCER_CLEANUP_FINALIZER } from '../api/load-balancer';
import type { EndpointSlice, Service } from '../api/types';
import type { Informer } from '../client/cache/informer';
import { BY_NAMESPACE, SharedInformers } from '../client/cache/shared-informers';
import { EventRecorder } from '../client/record/recorder';
import { R } from '../client/refs';
import type { ApiClient } from '../client/types';
import type { AgentEndpoint } from '../protocol/agent-connection';
import { agentDialer } from '../tunnel/pod-tunnel';
import { RoundRobin, serviceTargets, slicesOfService, type Target } from '../tunnel/endpoints';
import { listenPort, type PortListener } from '../tunnel/port-listener';
import { planLoadBalancers, sameClaim, wantsLocalLoadBalancer, type PortClaim } from './lb-plan';

export const LOCALHOST = '127.0.0.1';

export interface LocalhostLoadBalancerOptions {
  log: (l: string) => void;
  /** How often ports that could not be listened on are tried again (default 10 s). */
  retryMs?: number;
}

export interface LocalhostLoadBalancer {
  /** The host ports listened on now, with the Service (namespace/name) each serves. */
  listening(): Map<number, string>;
  stop(): Promise<void>;
}

type LbIngress = NonNullable<NonNullable<NonNullable<Service['status']>['loadBalancer']>['ingress']>;

const OURS: LbIngress = [{ ip: LOCALHOST, ipMode: 'Proxy' }];
const isOurs = (ing: LbIngress | undefined): boolean => ing?.length === 1 && ing[0]?.ip === LOCALHOST && ing[0].ipMode === 'Proxy';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function startLocalhostLoadBalancer(client: ApiClient, agents: AgentEndpoint, o: LocalhostLoadBalancerOptions): LocalhostLoadBalancer {
  const informers = new SharedInformers(client, o.log);
  const services = informers.services;
  const slices = informers.informer('endpointslices') as unknown as Informer<EndpointSlice>;
  const recorder = new EventRecorder(client, { component: 'service-controller' });
  const rr = new RoundRobin();
  const dial = agentDialer(agents);
  const listeners = new Map<number, { claim: PortClaim; listener: PortListener }>();
  /** `key:port` → the failure last reported, so one failure is one event until it changes. */
  const failed = new Map<string, string>();
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;

  const pick = (c: PortClaim) => (): Target | { problem: string } => {
    const svc = services.get(c.key);
    const r = serviceTargets(svc, slicesOfService(slices.byIndex(BY_NAMESPACE, c.namespace), c.name), c.namespace, c.name, { number: c.port });
    return 'problem' in r ? r : rr.pick(`${c.key}:${c.port}`, r.targets);
  };

  function warn(c: PortClaim, why: string): void {
    const id = `${c.key}:${c.port}`;
    if (failed.get(id) === why) return;
    failed.set(id, why);
    const svc = services.get(c.key);
    if (svc) recorder.event(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: failed to ensure load balancer: ${why}`);
    o.log(`load balancer ${c.key}: ${why}`);
  }

  async function writeStatus(svc: Service, ingress: LbIngress | null): Promise<void> {
    const ns = svc.metadata?.namespace ?? 'default';
    await client.patch(R.services, svc.metadata?.name ?? '', { status: { loadBalancer: { ingress } } }, 'merge', { namespace: ns, subresource: 'status' })
      .catch((e: unknown) => o.log(`load balancer ${ns}/${svc.metadata?.name ?? ''}: status: ${message(e)}`));
  }

  /** Pool mode's finalizer, left by an earlier run in that mode: nothing here needs it, and it would hold the Service forever. */
  async function dropPoolFinalizer(svc: Service): Promise<void> {
    const finalizers = svc.metadata?.finalizers ?? [];
    const cls = svc.spec?.loadBalancerClass;
    if (!finalizers.includes(LOAD_BALANCER_CLEANUP_FINALIZER) || (cls && cls !== FLOTILLA_LOAD_BALANCER_CLASS)) return;
    const metadata = { finalizers: finalizers.filter((f) => f !== LOAD_BALANCER_CLEANUP_FINALIZER), resourceVersion: svc.metadata?.resourceVersion };
    await client.patch(R.services, svc.metadata?.name ?? '', { metadata }, 'merge', { namespace: svc.metadata?.namespace ?? 'default' })
      .catch((e: unknown) => o.log(`load balancer ${svc.metadata?.namespace ?? 'default'}/${svc.metadata?.name ?? ''}: finalizer: ${message(e)}`));
  }

  async function syncOnce(): Promise<void> {
    const plan = planLoadBalancers(services.list());
    for (const [port, l] of listeners) {
      const want = plan.ports.get(port);
      if (want && sameClaim(want, l.claim)) continue;
      listeners.delete(port);
      await l.listener.close();
    }
    for (const { claim, holder } of plan.conflicts) warn(claim, `port ${claim.port} on ${LOCALHOST} is already in use by service ${holder}`);
    for (const [port, claim] of plan.ports) {
      if (listeners.has(port) || stopped) continue;
      try {
        const listener = await listenPort({ host: LOCALHOST, port, dial, pick: pick(claim), log: o.log, label: 'load balancer' });
        if (stopped) { await listener.close(); return; }
        listeners.set(port, { claim, listener });
        failed.delete(`${claim.key}:${port}`);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        warn(claim, code === 'EADDRINUSE' ? `port ${port} on ${LOCALHOST} is already in use on the host`
          : `cannot listen on ${LOCALHOST}:${port}: ${message(e)}`);
      }
    }
    const served = new Set([...listeners.values()].map((l) => l.claim.key));
    for (const id of failed.keys()) if (![...plan.ports.values(), ...plan.conflicts.map((x) => x.claim)].some((c) => `${c.key}:${c.port}` === id)) failed.delete(id);
    for (const svc of services.list()) {
      await dropPoolFinalizer(svc);
      const key = `${svc.metadata?.namespace ?? 'default'}/${svc.metadata?.name ?? ''}`;
      const current = svc.status?.loadBalancer?.ingress;
      if (served.has(key)) {
        if (isOurs(current)) continue;
        recorder.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
        await writeStatus(svc, OURS);
        recorder.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
      } else if (current?.length && (isOurs(current) || wantsLocalLoadBalancer(svc))) {
        // No listener (gone, type changed, every port taken): no address, as a load balancer not (or no longer) provisioned.
        if (!wantsLocalLoadBalancer(svc)) recorder.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
        await writeStatus(svc, null);
        if (!wantsLocalLoadBalancer(svc)) recorder.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
      }
    }
  }

  /** Runs passes one at a time; a change during a pass asks for another. */
  function sync(): void {
    if (stopped) return;
    if (running) { again = true; return; }
    running = syncOnce().catch((e: unknown) => o.log(`load balancer: ${message(e)}`)).finally(() => {
      running = undefined;
      if (again) { again = false; sync(); }
    });
  }

  services.addHandler({ add: sync, update: sync, delete: sync });
  const stopInformers = informers.start();
  void informers.waitForSync().then(sync);
  const retry = setInterval(() => { if (failed.size) sync(); }, o.retryMs ?? 10_000);
  retry.unref();

  return {
    listening: () => new Map([...listeners].map(([port, l]) => [port, l.claim.key])),
    async stop() {
      stopped = true;
      clearInterval(retry);
      stopInformers();
      await running;
      await Promise.all([...listeners.values()].map((l) => l.listener.close()));
      listeners.clear();
      recorder.stop();
    },
  };
}
