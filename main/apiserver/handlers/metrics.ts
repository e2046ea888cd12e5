// metrics.k8s.io: the usage the nodes report (NodeMetrics, PodMetrics), served read-only from live
// data; each virtual resource of the resource table is registered with where its items come from.
import type { ServerResponse } from 'node:http';
import type { ResourceInfo } from '../../api/resources';
import { apiVersionOf, perResource } from '../../api/resources';
import type { NodeMetrics, PodMetrics } from '../../api/types';
import type { ApiContext, MetricsSource } from '../context';
import type { RequestInfo } from '../request';
import { timestamp } from '../registry/objects';
import { errors } from '../status';
import { sendJson } from './respond';

type Items = (source: MetricsSource, namespace: string | undefined) => Array<NodeMetrics | PodMetrics>;

const ITEMS = perResource<Items>([
  ['metrics.k8s.io', 'nodes', (source) => source.nodeMetrics()],
  ['metrics.k8s.io', 'pods', (source, namespace) => source.podMetrics(namespace)],
]);

/** The live items of a metrics.k8s.io resource (of one namespace, for pods); empty without a metrics source. */
export async function metricsItems(ctx: ApiContext, r: ResourceInfo, namespace: string | undefined): Promise<Array<NodeMetrics | PodMetrics>> {
  const items = ITEMS(r);
  if (!items) throw errors.pathNotFound();
  if (!ctx.metrics) return [];
  await ctx.metrics.demand?.();
  return items(ctx.metrics, r.namespaced ? namespace : undefined);
}

export async function handleMetrics(ctx: ApiContext, res: ServerResponse, info: RequestInfo, r: ResourceInfo): Promise<void> {
  if (info.verb !== 'get' && info.verb !== 'list') throw errors.methodNotAllowed();
  const all = await metricsItems(ctx, r, info.namespace);
  const apiVersion = apiVersionOf(r);
  if (info.name) {
    const m = all.find((x) => x.metadata.name === info.name);
    if (!m) throw errors.notFound(r.group, r.plural, info.name);
    sendJson(res, 200, { kind: r.kind, apiVersion, ...m });
    return;
  }
  const now = timestamp();
  sendJson(res, 200, { kind: r.listKind, apiVersion, metadata: {}, items: all.map((m) => ({ ...m, timestamp: m.timestamp || now, window: m.window || '10s' })) });
}
