// The API server's request metrics, named and labelled as kube-apiserver's: requests by verb,
// group, version, resource, subresource, scope, component and code; their latency (long-running
// WATCH and CONNECT excluded, as Kubernetes excludes them); in-flight requests by kind; open watches.
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { LabelSets, observeInto, readCounter, tallyGauge, tallyHistogram, type HistogramCell, type TallyCell } from './tally';
import type { RequestInfo } from '../request';

/** kube-apiserver's buckets for apiserver_request_duration_seconds. */
export const REQUEST_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

const LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'] as const;
const LATENCY_LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;

/** Kubernetes' reported verb: the HTTP-ish one, LIST/WATCH for collections, APPLY for server-side apply. */
export function reportedVerb(info: RequestInfo | undefined, method: string, contentType: string | undefined): string {
  if (!info || !info.isResource) return method.toUpperCase();
  switch (info.verb) {
    case 'get': return 'GET';
    case 'list': return 'LIST';
    case 'watch': return 'WATCH';
    case 'create': return method === 'POST' && info.subresource && ['exec', 'attach', 'portforward', 'proxy'].includes(info.subresource) ? 'CONNECT' : 'POST';
    case 'update': return 'PUT';
    case 'patch': return contentType?.startsWith('application/apply-patch') ? 'APPLY' : 'PATCH';
    case 'delete': case 'deletecollection': return 'DELETE';
    default: return method.toUpperCase();
  }
}

function scopeOf(info: RequestInfo | undefined): string {
  if (!info?.isResource) return '';
  if (info.name) return 'resource';
  return info.namespace ? 'namespace' : 'cluster';
}

export interface RequestMetrics {
  /** Call when a request arrives; the returned function when its response has ended. */
  begin(method: string): (info: RequestInfo | undefined, code: number, contentType: string | undefined) => void;
  /** A watch (or another long-running request) started; call the returned function when it ends. */
  longRunning(info: RequestInfo, verb: string): () => void;
}

type Label = (typeof LABELS)[number];
type LatencyLabel = (typeof LATENCY_LABELS)[number];

/** One label set but the code: its latency histogram cell, and apiserver_request_total's cell of each code. */
interface RequestKind {
  latency: HistogramCell<LatencyLabel>;
  codes: Map<number, TallyCell<Label>>;
}

export function requestMetrics(registry: Registry): RequestMetrics {
  // Per request: one lookup of its kind (by the label values' key), then plain numbers: its latency's bucket, and its
  // code's cell in a small map.
  const latency = tallyHistogram(registry, 'apiserver_request_duration_seconds',
    'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.', LATENCY_LABELS, REQUEST_BUCKETS);
  const kinds = new LabelSets(LATENCY_LABELS, (labels): RequestKind => ({ latency: latency.get(LATENCY_LABELS.map((n) => labels[n])), codes: new Map() }));
  readCounter(registry, 'apiserver_request_total', 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.', LABELS, function* () {
    for (const k of kinds.values()) for (const c of k.codes.values()) yield [c.labels, c.value] as const;
  });
  const inflight = tallyGauge(registry, 'apiserver_current_inflight_requests', 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.', ['request_kind']);
  const readOnly = inflight.get(['readOnly']);
  const mutating = inflight.get(['mutating']);
  const longrunning = new Gauge({ name: 'apiserver_longrunning_requests', help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.', labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'], registers: [registry] });
  return {
    begin(method) {
      const kind = method === 'GET' || method === 'HEAD' ? readOnly : mutating;
      kind.value++;
      const started = performance.now();
      return (info, code, contentType) => {
        kind.value--;
        const verb = reportedVerb(info, method, contentType);
        const k = kinds.get([verb, info?.query.has('dryRun') ? 'All' : '', info?.group ?? '', info?.version ?? '', info?.resource ?? '', info?.subresource ?? '', scopeOf(info), 'apiserver']);
        if (verb !== 'WATCH' && verb !== 'CONNECT') observeInto(k.latency, REQUEST_BUCKETS, (performance.now() - started) / 1000);
        let c = k.codes.get(code);
        if (!c) k.codes.set(code, (c = { labels: { ...k.latency.labels, code: String(code) }, value: 0 }));
        c.value++;
      };
    },
    longRunning(info, verb) {
      const labels = { verb, group: info.group, version: info.version, resource: info.resource, subresource: info.subresource ?? '', scope: scopeOf(info), component: 'apiserver' };
      longrunning.inc(labels);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        longrunning.dec(labels);
      };
    },
  };
}
