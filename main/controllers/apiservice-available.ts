// kube-aggregator's availability controllers in one loop: a Local APIService is always Available (reason Local); one
// that names a Service is Available once the Service exists, listens on the port, has a ready endpoint with that port,
// and its server answers discovery for the group version (`checkDiscovery`, the aggregator's own call through the
// front proxy's credentials). Its reasons and messages are kube-aggregator's. A remote one is checked again every
// 30 s; a cluster without remote APIServices does nothing after start.
import { availableConditionOf, isRemote, localAvailableCondition } from '../api/apiservices';
import type { APIService, APIServiceCondition, EndpointSlice, Service } from '../api/types';
import { rfc3339Seconds } from '../api/timestamp';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import { R, keyFor } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';

/** The aggregator's discovery check of an APIService's server: resolves when it answers 2xx, else throws kube's words. */
export type DiscoveryCheck = (a: APIService) => Promise<void>;

const RECHECK_MS = 30_000;

type Verdict = Omit<APIServiceCondition, 'type' | 'lastTransitionTime'>;

export function newAPIServiceAvailabilityController(ctx: ControllerContext, checkDiscovery: DiscoveryCheck): Controller {
  const apiServices = ctx.informers.informer('apiservices');
  const services = ctx.informers.informer('services');
  const slices = ctx.informers.informer('endpointslices');
  /** The APIServices naming a Service (namespace/name), for the Service and EndpointSlice watches. */
  const naming = (namespace: string | undefined, name: string | undefined): string[] =>
    (apiServices.list() as unknown as APIService[])
      .filter((a) => a.spec?.service?.namespace === namespace && a.spec?.service?.name === name)
      .map((a) => a.metadata?.name ?? '');

  const verdict = async (a: APIService): Promise<Verdict> => {
    const ref = a.spec.service!;
    const svcName = ref.name ?? '';
    const ns = ref.namespace ?? '';
    const svc = services.get(keyFor(ns, svcName)) as unknown as Service | undefined;
    if (!svc) return { status: 'False', reason: 'ServiceNotFound', message: `service/${svcName} in ${JSON.stringify(ns)} is not present` };
    if ((svc.spec?.type ?? 'ClusterIP') === 'ClusterIP') {
      const port = ref.port ?? 443;
      const servicePort = svc.spec?.ports?.find((p) => p.port === port);
      if (!servicePort) {
        return { status: 'False', reason: 'ServicePortError', message: `service/${svcName} in ${JSON.stringify(ns)} is not listening on port ${port}` };
      }
      const portName = servicePort.name ?? '';
      const own = (slices.byIndex(BY_NAMESPACE, ns) as unknown as EndpointSlice[])
        .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === svcName);
      if (!own.length) return { status: 'False', reason: 'EndpointsNotFound', message: `cannot find endpointslices for service/${svcName} in ${JSON.stringify(ns)}` };
      const ready = own.some((s) => (s.endpoints ?? []).some((e) => e.conditions?.ready !== false)
        && (s.ports ?? []).some((p) => (p.name ?? '') === portName && p.port !== undefined));
      if (!ready) {
        return {
          status: 'False', reason: 'MissingEndpoints',
          message: `endpointslices for service/${svcName} in ${JSON.stringify(ns)} have no addresses with port name ${JSON.stringify(portName)}`,
        };
      }
    }
    try {
      await checkDiscovery(a);
    } catch (e) {
      return { status: 'False', reason: 'FailedDiscoveryCheck', message: e instanceof Error ? e.message : String(e) };
    }
    return { status: 'True', reason: 'Passed', message: 'all checks passed' };
  };

  const write = async (a: APIService, v: Verdict): Promise<void> => {
    const had = availableConditionOf(a);
    if (had && had.status === v.status && had.reason === v.reason && had.message === v.message) return;
    const condition: APIServiceCondition = { type: 'Available', ...v, lastTransitionTime: had?.status === v.status ? had.lastTransitionTime ?? rfc3339Seconds() : rfc3339Seconds() };
    const conditions = [...(a.status?.conditions ?? []).filter((c) => c.type !== 'Available'), condition];
    await ignoreNotFound(ctx.client.update(R.apiservices, { ...a, status: { ...a.status, conditions } }, { subresource: 'status' }));
  };

  return newReconciler(ctx, 'apiservice-availability')
    .for('apiservices')
    .watches<Service>('services', (s) => naming(s.metadata?.namespace, s.metadata?.name))
    .watches<EndpointSlice>('endpointslices', (s) => naming(s.metadata?.namespace, s.metadata?.labels?.['kubernetes.io/service-name']))
    .complete(async (name) => {
      const a = apiServices.get(name) as unknown as APIService | undefined;
      if (!a || a.metadata?.deletionTimestamp) return;
      if (!isRemote(a)) {
        const { type: _t, lastTransitionTime: _l, ...local } = localAvailableCondition(rfc3339Seconds());
        await write(a, local);
        return;
      }
      await write(a, await verdict(a));
      return { requeueAfter: RECHECK_MS };
    });
}
