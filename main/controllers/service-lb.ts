// The service load balancer (Kubernetes' service controller, with Flotilla as the "cloud"): a Service of
// `type: LoadBalancer` with no loadBalancerClass (or ours) gets one address of the pool in
// status.loadBalancer.ingress (ipMode VIP) and the finalizer service.kubernetes.io/load-balancer-cleanup; the
// address is spec.loadBalancerIP when that is set, in the pool and free. When the Service goes, or stops wanting a
// load balancer (another type), the address is released, the status cleared and the finalizer removed. Services of
// another class are left alone. The nodes' proxiers answer on the address (KUBE-EXT chains) and the node manager
// routes the pool from the host to the nodes (nodes/host-routes.ts).
import type { Service } from '../api/types';
import {
  cidrContains, FLOTILLA_LOAD_BALANCER_CLASS, intToIPv4, LOAD_BALANCER_CLEANUP_FINALIZER, LOAD_BALANCER_POOL, poolAddresses,
} from '../api/load-balancer';
import { newReconciler, type ReconcileResult } from '../client/reconciler';
import { R, keyOf } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';

/** How soon a Service that could not get an address is tried again. */
export const LB_RETRY_MS = 30_000;

export interface ServiceLoadBalancerOptions {
  /** The address pool (default LOAD_BALANCER_POOL). */
  pool?: string;
}

type Ingress = NonNullable<NonNullable<NonNullable<Service['status']>['loadBalancer']>['ingress']>;

/** A LoadBalancer Service of another class: another implementation's business. */
function foreign(svc: Service): boolean {
  const cls = svc.spec?.loadBalancerClass;
  return svc.spec?.type === 'LoadBalancer' && !!cls && cls !== FLOTILLA_LOAD_BALANCER_CLASS;
}

/** Kubernetes' wantsLoadBalancer, for our class. */
function wantsLoadBalancer(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && !foreign(svc) && !svc.metadata?.deletionTimestamp;
}

function hasFinalizer(svc: Service): boolean {
  return (svc.metadata?.finalizers ?? []).includes(LOAD_BALANCER_CLEANUP_FINALIZER);
}

function ingressOf(svc: Service): Ingress {
  return svc.status?.loadBalancer?.ingress ?? [];
}

export function newServiceLoadBalancerController(ctx: ControllerContext, opts: ServiceLoadBalancerOptions = {}): Controller {
  const pool = opts.pool ?? LOAD_BALANCER_POOL;
  const range = poolAddresses(pool);
  const services = ctx.informers.services;
  const recorder = ctx.recorder('service-controller');
  // Addresses written but maybe not yet in the cache (one worker: no two reconciles race for an address).
  const assigned = new Map<string, string>();

  /** Pool address → the Service holding it, other than `self`. */
  function holders(self: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const s of services.list()) {
      const k = keyOf(s);
      if (k === self || foreign(s)) continue;
      for (const ing of ingressOf(s)) if (ing.ip && cidrContains(pool, ing.ip)) out.set(ing.ip, k);
    }
    for (const [k, ip] of assigned) if (k !== self) out.set(ip, k);
    return out;
  }

  function choose(svc: Service, key: string): { ip: string } | { error: string } {
    const taken = holders(key);
    const requested = svc.spec?.loadBalancerIP;
    if (requested) {
      if (!cidrContains(pool, requested)) return { error: `requested loadBalancerIP ${requested} is not in the load balancer pool ${pool}` };
      const holder = taken.get(requested);
      if (holder) return { error: `requested loadBalancerIP ${requested} is already in use by service ${holder}` };
      return { ip: requested };
    }
    const current = ingressOf(svc).map((i) => i.ip).find((ip): ip is string => !!ip && cidrContains(pool, ip));
    if (current && !taken.has(current)) return { ip: current };
    for (let n = range.first; n <= range.last; n++) {
      const ip = intToIPv4(n);
      if (!taken.has(ip)) return { ip };
    }
    return { error: `no free address left in the load balancer pool ${pool}` };
  }

  async function patchStatus(svc: Service, ingress: Ingress | null): Promise<void> {
    await ignoreNotFound(ctx.client.patch(R.services, svc.metadata!.name!, { status: { loadBalancer: { ingress } } }, 'merge', {
      namespace: svc.metadata?.namespace, subresource: 'status',
    }));
  }

  async function setFinalizers(svc: Service, finalizers: string[]): Promise<void> {
    const metadata = { finalizers, resourceVersion: svc.metadata?.resourceVersion };
    await ignoreNotFound(ctx.client.patch(R.services, svc.metadata!.name!, { metadata }, 'merge', { namespace: svc.metadata?.namespace }));
  }

  async function release(svc: Service, key: string): Promise<void> {
    assigned.delete(key);
    const ours = ingressOf(svc).some((i) => !!i.ip && cidrContains(pool, i.ip));
    if (!ours && !hasFinalizer(svc)) return;
    recorder.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
    if (ingressOf(svc).length) await patchStatus(svc, null);
    if (hasFinalizer(svc)) await setFinalizers(svc, (svc.metadata?.finalizers ?? []).filter((f) => f !== LOAD_BALANCER_CLEANUP_FINALIZER));
    recorder.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
  }

  async function reconcile(key: string): Promise<ReconcileResult | void> {
    const svc = services.get(key);
    if (!svc) {
      assigned.delete(key);
      return;
    }
    if (foreign(svc)) return;
    if (!wantsLoadBalancer(svc)) return release(svc, key);
    const chosen = choose(svc, key);
    if ('error' in chosen) {
      assigned.delete(key);
      recorder.event(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: failed to ensure load balancer: ${chosen.error}`);
      return { requeueAfter: LB_RETRY_MS };
    }
    assigned.set(key, chosen.ip);
    if (!hasFinalizer(svc)) await setFinalizers(svc, [...(svc.metadata?.finalizers ?? []), LOAD_BALANCER_CLEANUP_FINALIZER]);
    const current = ingressOf(svc);
    if (current.length === 1 && current[0]?.ip === chosen.ip && current[0].ipMode === 'VIP') return;
    recorder.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    await patchStatus(svc, [{ ip: chosen.ip, ipMode: 'VIP' }]);
    recorder.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
  }

  const typeChanged = (o: Service, n: Service): boolean => {
    if (wantsLoadBalancer(o) !== wantsLoadBalancer(n)) recorder.event(n, 'Normal', 'Type', `${o.spec?.type ?? 'ClusterIP'} -> ${n.spec?.type ?? 'ClusterIP'}`);
    if (wantsLoadBalancer(n) && (o.spec?.loadBalancerIP ?? '') !== (n.spec?.loadBalancerIP ?? '')) {
      recorder.event(n, 'Normal', 'LoadbalancerIP', `${o.spec?.loadBalancerIP ?? ''} -> ${n.spec?.loadBalancerIP ?? ''}`);
    }
    return true;
  };

  return newReconciler(ctx, 'service-lb', { workers: 1 })
    .for<Service>('services', { update: typeChanged })
    .complete(reconcile);
}

