// The built-in gateway's writes: the GatewayClass `flotilla` once the Gateway API is installed (once a process, so a
// user may delete it), and the status the plan gives every GatewayClass, Gateway (its address: the proxy's, on the
// host), HTTPRoute, GRPCRoute, TCPRoute and TLSRoute parent of ours and BackendTLSPolicy ancestor of ours — written
// only when it differs, a condition keeping its lastTransitionTime while its status stays, other controllers' entries
// left as they are.
import type { Condition } from 'kubernetes-types/meta/v1';
import type { ApiClient } from '../../client/types';
import type { AnyRoute, GatewayPlan, PlannedCondition } from './attach';
import type { PolicyStatus } from './backend-tls';
import type { ResourceRef } from '../../client/types';
import type { GatewayState } from './state';
import { FLOTILLA_GATEWAY_CLASS, FLOTILLA_GATEWAY_CONTROLLER, GATEWAY_GROUP, type GatewayClass, type Listener, type PolicyAncestorStatus, type RouteKind,
  type RouteParentStatus } from './types';

/** What the Gateway API's conformance profile calls the features the built-in gateway supports. */
export const SUPPORTED_FEATURES = ['BackendTLSPolicy', 'BackendTLSPolicySANValidation', 'GRPCRoute', 'Gateway', 'GatewayPort8080', 'HTTPRoute', 'HTTPRouteBackendTimeout', 'HTTPRouteCORS', 'HTTPRouteHostRewrite', 'HTTPRouteMethodMatching',
  'HTTPRoutePathRedirect', 'HTTPRoutePathRewrite', 'HTTPRoutePortRedirect', 'HTTPRouteQueryParamMatching', 'HTTPRouteRequestMirror', 'HTTPRouteRequestTimeout',
  'HTTPRouteResponseHeaderModification', 'HTTPRouteSchemeRedirect', 'ReferenceGrant', 'TCPRoute', 'TLSRoute', 'TLSRouteModeTerminate'].map((name) => ({ name }));

/** Conditions with lastTransitionTime: kept from `prior` when the type's status is the same, else now. */
export function withTimes(planned: readonly PlannedCondition[], prior: readonly Condition[] | undefined, now: string): Condition[] {
  return planned.map((c) => {
    const before = prior?.find((p) => p.type === c.type);
    return { ...c, lastTransitionTime: before && before.status === c.status ? before.lastTransitionTime : now };
  });
}

const sameConditions = (a: readonly Condition[] | undefined, b: readonly PlannedCondition[]): boolean =>
  (a?.length ?? 0) === b.length && b.every((c) => {
    const x = a?.find((p) => p.type === c.type);
    return x && x.status === c.status && x.reason === c.reason && x.message === c.message && (x.observedGeneration ?? 0) === c.observedGeneration;
  });

/**
 * A status list (a route's parents, a policy's ancestors) with our controller's entries as planned, after the other
 * controllers' as they are; undefined when ours already are (same refs in order, same conditions).
 */
function withOurEntries<E extends { controllerName: string; conditions: Condition[] }>(
  prior: readonly E[], planned: ReadonlyArray<Omit<E, 'conditions'> & { conditions: PlannedCondition[] }>, refOf: (e: Omit<E, 'conditions'>) => unknown, now: string,
): E[] | undefined {
  const others = prior.filter((e) => e.controllerName !== FLOTILLA_GATEWAY_CONTROLLER);
  const mine = prior.filter((e) => e.controllerName === FLOTILLA_GATEWAY_CONTROLLER);
  const key = (e: Omit<E, 'conditions'>): string => JSON.stringify(refOf(e));
  const same = mine.length === planned.length
    && planned.every((e, i) => mine[i] !== undefined && key(mine[i]) === key(e) && sameConditions(mine[i].conditions, e.conditions));
  if (same) return undefined;
  return [...others, ...planned.map((e) => ({ ...e, conditions: withTimes(e.conditions, mine.find((m) => key(m) === key(e))?.conditions, now) }) as E)];
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export interface GatewayAddress {
  ip: string;
  /** Why a listener's own port is not listened on, if it is not. */
  portProblem?(port: number): string | undefined;
  /** The proxy's own port for a listener protocol (0 when off or none: TCP and TLS), which serves every listener of it. */
  servedAt?(protocol: string): number;
}

/** A listener's Programmed condition saying where it is served when its own port could not be had. */
function withPortNote(listener: Listener, conditions: PlannedCondition[], a: GatewayAddress): PlannedCondition[] {
  const problem = a.portProblem?.(listener.port);
  if (!problem) return conditions;
  const proxy = a.servedAt?.(listener.protocol) ?? 0;
  const where = proxy ? `served at ${a.ip}:${proxy} (the built-in proxy's ${listener.protocol} port) instead` : 'not served';
  const message = `port ${listener.port} cannot be listened on at ${a.ip}: ${problem}; ${where}`;
  return conditions.map((c) => (c.type !== 'Programmed' || c.status !== 'True' ? c
    : proxy ? { ...c, message } : { ...c, status: 'False', reason: 'Invalid', message }));
}

/** Keeps the status of our objects; returns a stop function. */
export function startGatewayStatus(client: ApiClient, state: GatewayState, address: GatewayAddress, log: (l: string) => void): () => void {
  let stopped = false;
  let pending = false;
  let classCreated = false;
  const inFlight = new Set<string>();
  const write = (what: string, p: () => Promise<unknown>): void => {
    if (inFlight.has(what)) return;
    inFlight.add(what);
    p().then(() => inFlight.delete(what), (e: unknown) => { inFlight.delete(what); if (!stopped) log(`gateway: ${what}: ${message(e)}`); });
  };
  const sync = (): void => {
    pending = false;
    if (stopped || !state.installed) return;
    const classRef = state.refOf('gatewayclasses');
    const gatewayRef = state.refOf('gateways');
    if (!classRef || !gatewayRef) return;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const plan = state.current();
    if (!classCreated && !state.classes().some((c) => c.metadata?.name === FLOTILLA_GATEWAY_CLASS)) {
      classCreated = true;
      const cls: GatewayClass = { apiVersion: `${GATEWAY_GROUP}/${classRef.version}`, kind: 'GatewayClass', metadata: { name: FLOTILLA_GATEWAY_CLASS },
        spec: { controllerName: FLOTILLA_GATEWAY_CONTROLLER, description: 'Gateways served on the host by the built-in proxy' } };
      write('create GatewayClass', () => client.create(classRef, cls));
    }
    for (const c of state.classes()) {
      const planned = plan.classes.get(c.metadata?.name ?? '');
      if (!planned || (sameConditions(c.status?.conditions, planned) && c.status?.supportedFeatures?.length === SUPPORTED_FEATURES.length)) continue;
      write(`GatewayClass ${c.metadata?.name ?? ''}`, () => client.patch(classRef, c.metadata?.name ?? '', {
        status: { conditions: withTimes(planned, c.status?.conditions, now), supportedFeatures: SUPPORTED_FEATURES } }, 'merge', { subresource: 'status' }));
    }
    for (const [k, planned] of plan.gateways) {
      const g = { ...planned, listeners: planned.listeners.map((l, i) => {
        const spec = planned.gateway.spec?.listeners?.[i];
        return spec ? { ...l, conditions: withPortNote(spec, l.conditions, address) } : l;
      }) };
      const st = g.gateway.status;
      const addresses = [{ type: 'IPAddress', value: address.ip }];
      const listenersSame = (st?.listeners?.length ?? 0) === g.listeners.length && g.listeners.every((l, i) => {
        const x = st?.listeners?.[i];
        return x && x.name === l.name && x.attachedRoutes === l.attachedRoutes && JSON.stringify(x.supportedKinds) === JSON.stringify(l.supportedKinds)
          && sameConditions(x.conditions, l.conditions);
      });
      if (listenersSame && sameConditions(st?.conditions, g.conditions) && JSON.stringify(st?.addresses ?? []) === JSON.stringify(addresses)) continue;
      const status = {
        addresses, conditions: withTimes(g.conditions, st?.conditions, now),
        listeners: g.listeners.map((l) => ({ ...l, conditions: withTimes(l.conditions, st?.listeners?.find((x) => x.name === l.name)?.conditions, now) })),
      };
      write(`Gateway ${k}`, () => client.patch(gatewayRef, g.gateway.metadata?.name ?? '', { status }, 'merge', { namespace: g.gateway.metadata?.namespace, subresource: 'status' }));
    }
    for (const kind of ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'] as const) {
      const { ref, routes } = state.routesOf(kind);
      if (ref) for (const route of routes) writeRoute(kind, ref, route, plan, now);
    }
    const policyRef = state.policiesRef();
    if (policyRef) for (const p of state.backendTls().statuses.values()) writePolicy(policyRef, p, now);
  };
  /** A BackendTLSPolicy's ancestors of ours (the Gateways sending to its Services); other controllers' entries kept. */
  const writePolicy = (ref: ResourceRef, p: PolicyStatus, now: string): void => {
    const planned = p.ancestors.map((a) => ({ ...a, controllerName: FLOTILLA_GATEWAY_CONTROLLER }));
    const ancestors = withOurEntries<PolicyAncestorStatus>(p.policy.status?.ancestors ?? [], planned, (a) => a.ancestorRef, now);
    if (!ancestors) return;
    const k = `${p.policy.metadata?.namespace ?? ''}/${p.policy.metadata?.name ?? ''}`;
    write(`BackendTLSPolicy ${k}`, () => client.patch(ref, p.policy.metadata?.name ?? '', { status: { ancestors } }, 'merge',
      { namespace: p.policy.metadata?.namespace, subresource: 'status' }));
  };
  const writeRoute = (kind: RouteKind, ref: ResourceRef, route: AnyRoute, plan: GatewayPlan, now: string): void => {
    const k = `${route.metadata?.namespace ?? ''}/${route.metadata?.name ?? ''}`;
    const ours = plan.routes.get(`${kind} ${k}`)?.parents ?? [];
    const parents = withOurEntries<RouteParentStatus>(route.status?.parents ?? [], ours, (p) => p.parentRef, now);
    if (!parents) return;
    write(`${kind} ${k}`, () => client.patch(ref, route.metadata?.name ?? '', { status: { parents } }, 'merge',
      { namespace: route.metadata?.namespace, subresource: 'status' }));
  };
  const schedule = (): void => {
    if (pending || stopped) return;
    pending = true;
    setImmediate(sync);
  };
  const off = state.onChange(schedule);
  void state.synced().then(schedule);
  return () => { stopped = true; off(); };
}

