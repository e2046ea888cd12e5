// The horizontal pod autoscaler: every sync period, each HPA reads its target's replicas and pod
// selector, the pods' CPU/memory from metrics.k8s.io against their requests, Pods and Object metrics from
// custom.metrics.k8s.io (prometheus-adapter) and External metrics from external.metrics.k8s.io (KEDA,
// prometheus-adapter) — both through aggregated servers —, proposes a count per metric (the largest wins;
// a metric that cannot be read is left out unless all are, or the rest would scale down), stabilises it
// and applies the behavior's rate limits and the min/max bounds, scales the target and reports status
// with the AbleToScale, ScalingActive and ScalingLimited conditions and SuccessfulRescale events.
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerStatus, KObject, MetricStatus, Pod, PodMetrics } from '../api/types';
import { storedResourceOfKind } from '../api/resources';
import { nothing, selectorFromLabelSelector } from '../api/labels';
import { canonicalQuantity } from '../api/quantity-canonical';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R } from '../client/refs';
import type { ResourceRef } from '../client/types';
import { isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { shortTime } from './pod-util';
import type { Recommendation, ScaleEvent } from './hpa-replicas';
import {
  effectiveRules, limitReplicas, milli, perPodReplicas, plainMetricReplicas, resourceMetricValues, resourceReplicas, stabilize, usageRatioReplicas,
  type PodValues,
} from './hpa-replicas';

/** --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_MS = 15_000;
const POD_METRICS: ResourceRef = { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods', namespaced: true };

type Hpa = HorizontalPodAutoscaler & KObject;
type Target = KObject & { spec?: { replicas?: number; selector?: Parameters<typeof selectorFromLabelSelector>[0] }; status?: { replicas?: number } };
type Cond = Omit<HorizontalPodAutoscalerCondition, 'lastTransitionTime'>;
type MetricSpec = NonNullable<NonNullable<HorizontalPodAutoscaler['spec']>['metrics']>[number];

/** external.metrics.k8s.io/v1beta1 ExternalMetricValue (what KEDA's or prometheus-adapter's server answers). */
interface ExternalMetricValue { metricName?: string; metricLabels?: Record<string, string>; timestamp?: string; value: string }
/** custom.metrics.k8s.io MetricValueList (v1beta2 and v1beta1 alike in what is read here). */
interface CustomMetricValueList { items?: Array<{ describedObject?: { name?: string }; value: string }> }

/** A metric's replica proposal, the name the HPA's messages give it, and its status entry. */
interface Proposal { replicas: number; name: string; status: MetricStatus }

/**
 * A metric that could not be read: the condition's and the event's reason (FailedGetResourceMetric, FailedGetPodsMetric,
 * …) and message, and the error computeReplicasForMetric wraps it in (the first one is FailedComputeMetricsReplicas').
 */
class MetricError extends Error {
  constructor(readonly reason: string, message: string, readonly wrapped: string = message) {
    super(message);
  }
}

/** A label selector as a query parameter: nothing for none or an empty one. */
function selectorQuery(sel: Selector | undefined): string | undefined {
  if (!sel) return undefined;
  try {
    return selectorFromLabelSelector(sel).toString() || undefined;
  } catch {
    return undefined;
  }
}

/** resource.NewMilliQuantity(m, DecimalSI) as it is written: `35`, `8750m`. */
function milliQuantity(m: number): string {
  return canonicalQuantity(`${m}m`) ?? `${m}m`;
}

/** A *metav1.LabelSelector as %+v prints it (its generated String()), `nil` when absent: in the HPA's messages. */
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };

function labelSelectorString(sel: Selector | undefined): string {
  if (!sel) return 'nil';
  const labels = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}: ${sel.matchLabels![k]},`).join('');
  const exprs = (sel.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

function setCondition(conds: HorizontalPodAutoscalerCondition[], c: Cond, now: string): void {
  const i = conds.findIndex((x) => x.type === c.type);
  const lastTransitionTime = i >= 0 && conds[i].status === c.status ? conds[i].lastTransitionTime : now;
  const next = { ...c, lastTransitionTime };
  if (i >= 0) conds[i] = next;
  else conds.push(next);
}

function targetRef(hpa: Hpa): ResourceRef | undefined {
  const ref = hpa.spec?.scaleTargetRef;
  const r = ref ? storedResourceOfKind(ref.kind) : undefined;
  if (!r || !ref) return undefined;
  const group = ref.apiVersion?.includes('/') ? ref.apiVersion.split('/')[0] : '';
  if (r.group !== group) return undefined;
  return { group: r.group, version: r.version, plural: r.plural, namespaced: r.namespaced };
}

export function newHpaController(ctx: ControllerContext, syncPeriodMs = HPA_SYNC_PERIOD_MS): Controller {
  const { client, informers } = ctx;
  const hpas = informers.informer('horizontalpodautoscalers');
  const pods = informers.pods;
  const recorder = ctx.recorder('horizontal-pod-autoscaler');
  const recommendations = new Map<string, Recommendation[]>();
  const scaleEvents = new Map<string, ScaleEvent[]>();

  /**
   * One Resource or ContainerResource metric's proposal (GetResourceReplicas, GetRawResourceReplicas): the selected
   * pods' cpu or memory from metrics.k8s.io against their requests or a per-pod value; a ContainerResource metric
   * counts that container alone.
   */
  async function resourceProposal(hpa: Hpa, spec: MetricSpec, current: number, selected: Pod[]): Promise<Proposal> {
    const container = spec.type === 'ContainerResource' ? spec.containerResource?.container : undefined;
    const res = spec.type === 'ContainerResource' ? spec.containerResource : spec.resource;
    const reason = container === undefined ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
    const wrap = (m: string) => (container === undefined ? `failed to get ${res?.name ?? ''} resource metric value: ${m}` : `failed to get ${container} container metric value: ${m}`);
    const fail = (m: string) => new MetricError(reason, `failed to get ${res?.name ?? ''} utilization: ${m}`, wrap(`failed to get ${res?.name ?? ''} utilization: ${m}`));
    if (!res) throw fail('no resource named');
    let values;
    try {
      const names = new Set(selected.map((p) => p.metadata?.name ?? ''));
      const list = await client.list<PodMetrics & KObject>(POD_METRICS, { namespace: hpa.metadata?.namespace });
      values = resourceMetricValues(list.items.filter((m) => names.has(m.metadata.name ?? '')), res.name, container);
    } catch (e) {
      throw fail(`unable to get metrics for resource ${res.name}: ${(e as Error).message}`);
    }
    const kind = container === undefined ? 'resource' : 'container resource';
    const statusOf = (v: MetricStatus['resource']): MetricStatus => (container === undefined
      ? { type: 'Resource', resource: v }
      : { type: 'ContainerResource', containerResource: { ...v!, container } });
    try {
      if (res.target.type === 'Utilization') {
        const r = resourceReplicas(selected, values, res.name, current, res.target.averageUtilization ?? 80, container);
        return {
          replicas: r.replicas, name: `${res.name} ${kind} utilization (percentage of request)`,
          status: statusOf({ name: res.name, current: { averageUtilization: r.utilization, averageValue: milliQuantity(r.rawAverage) } }),
        };
      }
      const r = plainMetricReplicas(selected, values, current, milli(res.target.averageValue ?? '0'), res.name);
      return { replicas: r.replicas, name: `${res.name} resource`, status: statusOf({ name: res.name, current: { averageValue: milliQuantity(r.usage) } }) };
    } catch (e) {
      throw fail((e as Error).message);
    }
  }

  /** custom.metrics.k8s.io's version: v1beta2 when its APIService is there (prometheus-adapter serves both), else v1beta1. */
  async function customMetricsVersion(): Promise<string> {
    const v2 = await client.get(R.apiservices, 'v1beta2.custom.metrics.k8s.io').catch(() => undefined);
    return v2 ? 'v1beta2' : 'v1beta1';
  }

  /** GET of custom metrics (the custom metrics client): `resource` is `pods` or `<plural>.<group>`, `name` `*` for every selected pod. */
  async function customMetrics(
    ns: string, resource: string, name: string, metric: string, query: Record<string, string | undefined>,
  ): Promise<CustomMetricValueList> {
    if (!client.getPath) throw new Error('the custom metrics API is not reachable');
    const version = await customMetricsVersion();
    const namespaceScoped = resource !== 'namespaces';
    const ref: ResourceRef = { group: 'custom.metrics.k8s.io', version, plural: resource, namespaced: namespaceScoped };
    const rest = namespaceScoped ? encodeURIComponent(metric) : `metrics/${encodeURIComponent(metric)}`;
    return client.getPath<CustomMetricValueList>(ref, namespaceScoped ? name : ns, rest, { namespace: ns, query });
  }

  /** One Pods metric's proposal (GetMetricReplicas): each selected pod's value against the per-pod target. */
  async function podsProposal(hpa: Hpa, spec: MetricSpec, current: number, selected: Pod[], podSelector: string): Promise<Proposal> {
    const pm = spec.pods!;
    const metricName = pm.metric.name;
    const fail = (m: string) => new MetricError('FailedGetPodsMetric', m, `failed to get pods metric value: ${m}`);
    const values: PodValues = new Map();
    try {
      let list: CustomMetricValueList;
      try {
        list = await customMetrics(hpa.metadata?.namespace ?? '', 'pods', '*', metricName, { labelSelector: podSelector || undefined, metricLabelSelector: selectorQuery(pm.metric.selector) });
      } catch (e) {
        throw new Error(`unable to fetch metrics from custom metrics API: ${(e as Error).message}`);
      }
      if (!list.items?.length) throw new Error('no metrics returned from custom metrics API');
      for (const item of list.items) values.set(item.describedObject?.name ?? '', { value: milli(item.value) });
    } catch (e) {
      throw fail(`unable to get metric ${metricName}: ${(e as Error).message}`);
    }
    let r;
    try {
      r = plainMetricReplicas(selected, values, current, milli(pm.target.averageValue ?? '0'));
    } catch (e) {
      throw fail((e as Error).message);
    }
    const metric = { name: metricName, ...(pm.metric.selector ? { selector: pm.metric.selector } : {}) };
    return { replicas: r.replicas, name: `pods metric ${metricName}`, status: { type: 'Pods', pods: { metric, current: { averageValue: milliQuantity(r.usage) } } } };
  }

  /** One Object metric's proposal (GetObjectMetricReplicas / GetObjectPerPodMetricReplicas): the described object's value. */
  async function objectProposal(hpa: Hpa, spec: MetricSpec, current: number, statusReplicas: number, selected: Pod[]): Promise<Proposal> {
    const om = spec.object!;
    const ns = hpa.metadata?.namespace ?? '';
    const obj = om.describedObject;
    const metricName = om.metric.name;
    const metric = { name: metricName, ...(om.metric.selector ? { selector: om.metric.selector } : {}) };
    const valueTarget = om.target.type === 'Value' && om.target.value !== undefined;
    const averageTarget = om.target.type === 'AverageValue' && om.target.averageValue !== undefined;
    if (!valueTarget && !averageTarget) {
      throw new MetricError('FailedGetObjectMetric', 'invalid object metric source: neither a value target nor an average value target was set',
        'failed to get object metric value: invalid object metric source: neither a value target nor an average value target was set');
    }
    const wrap = (m: string) => (averageTarget ? `failed to get object metric value: failed to get ${metricName} object metric: ${m}` : `failed to get object metric value: ${m}`);
    let usage: number;
    try {
      const group = obj.apiVersion?.includes('/') ? obj.apiVersion.split('/')[0] : '';
      const r = storedResourceOfKind(obj.kind);
      if (!r || r.group !== group) throw new Error(`no matches for kind "${obj.kind}" in group "${group}"`);
      const list = await customMetrics(ns, r.group ? `${r.plural}.${r.group}` : r.plural, obj.name, metricName, { metricLabelSelector: selectorQuery(om.metric.selector) });
      const n = list.items?.length ?? 0;
      if (n !== 1) throw new Error(`the custom metrics API server returned ${n} results when we asked for exactly one`);
      usage = milli(list.items![0].value);
    } catch (e) {
      // Go's words, arguments and all: fmt.Errorf("unable to get metric %s: %v on %s %s/%s", metricName, objectRef.Kind, namespace, objectRef.Name, err).
      const m = `unable to get metric ${metricName}: ${obj.kind} on ${ns} ${obj.name}/unable to fetch metrics from custom metrics API: ${(e as Error).message}`;
      throw new MetricError('FailedGetObjectMetric', m, wrap(m));
    }
    if (averageTarget) {
      const { replicas, average } = perPodReplicas(statusReplicas, usage, milli(om.target.averageValue!));
      // As kube-controller-manager writes it: no described object in this status, and the External metrics' wording.
      return {
        replicas, name: `external metric ${metricName}(${labelSelectorString(om.metric.selector)})`,
        status: { type: 'Object', object: { describedObject: { kind: '', name: '' }, metric, current: { averageValue: milliQuantity(average) } } },
      };
    }
    let replicas: number;
    try {
      replicas = usageRatioReplicas(current, usage / milli(om.target.value!), selected);
    } catch (e) {
      throw new MetricError('FailedGetObjectMetric', (e as Error).message, wrap((e as Error).message));
    }
    return { replicas, name: `${obj.kind} metric ${metricName}`, status: { type: 'Object', object: { describedObject: obj, metric, current: { value: milliQuantity(usage) } } } };
  }

  /** One External metric's proposal (GetExternalMetricReplicas / GetExternalPerPodMetricReplicas): its values summed. */
  async function externalProposal(hpa: Hpa, spec: MetricSpec, current: number, statusReplicas: number, selected: Pod[]): Promise<Proposal> {
    const ext = spec.external!;
    const ns = hpa.metadata?.namespace ?? '';
    const selectorText = labelSelectorString(ext.metric.selector);
    const averageTarget = ext.target.type === 'AverageValue';
    const wrap = (m: string) => `failed to get ${ext.metric.name} external metric value: ${averageTarget ? `failed to get ${ext.metric.name} external metric` : `failed to get external metric ${ext.metric.name}`}: ${m}`;
    let usageMilli: number;
    try {
      const ref: ResourceRef = { group: 'external.metrics.k8s.io', version: 'v1beta1', plural: ext.metric.name, namespaced: true };
      const list = await client.list<ExternalMetricValue & KObject>(ref, { namespace: ns, labelSelector: selectorQuery(ext.metric.selector) });
      if (!list.items.length) throw new Error('no metrics returned from external metrics API');
      // In milli-units, as the metrics client sums MilliValue()s.
      usageMilli = list.items.reduce((a, v) => a + milli(v.value), 0);
    } catch (e) {
      const m = `unable to get external metric ${ns}/${ext.metric.name}/${selectorText}: ${(e as Error).message}`;
      throw new MetricError('FailedGetExternalMetric', m, wrap(m));
    }
    const name = `external metric ${ext.metric.name}(${selectorText})`;
    const metric = { name: ext.metric.name, ...(ext.metric.selector ? { selector: ext.metric.selector } : {}) };
    if (averageTarget) {
      const { replicas, average } = perPodReplicas(statusReplicas, usageMilli, milli(ext.target.averageValue ?? '0'));
      return { replicas, name, status: { type: 'External', external: { metric, current: { averageValue: milliQuantity(average) } } } };
    }
    let replicas: number;
    try {
      replicas = usageRatioReplicas(current, usageMilli / milli(ext.target.value ?? '0'), selected);
    } catch (e) {
      throw new MetricError('FailedGetExternalMetric', (e as Error).message, wrap((e as Error).message));
    }
    return { replicas, name, status: { type: 'External', external: { metric, current: { value: milliQuantity(usageMilli) } } } };
  }

  /**
   * computeReplicasForMetrics: each metric's proposal, the largest winning; a metric that cannot be read says so in
   * an event and is counted, the first one's condition and error kept.
   */
  async function computeReplicas(hpa: Hpa, current: number, statusReplicas: number, selected: Pod[], podSelector: string) {
    let proposal = 0;
    let name = '';
    let invalid = 0;
    let first: MetricError | undefined;
    const metrics: MetricStatus[] = [];
    const specs = hpa.spec?.metrics ?? [];
    for (const spec of specs) {
      let p: Proposal;
      try {
        if (spec.type === 'Resource' || spec.type === 'ContainerResource') p = await resourceProposal(hpa, spec, current, selected);
        else if (spec.type === 'Pods' && spec.pods) p = await podsProposal(hpa, spec, current, selected, podSelector);
        else if (spec.type === 'Object' && spec.object) p = await objectProposal(hpa, spec, current, statusReplicas, selected);
        else if (spec.type === 'External' && spec.external) p = await externalProposal(hpa, spec, current, statusReplicas, selected);
        else throw new MetricError('InvalidMetricSourceType', `unknown metric source type "${spec.type}"`);
      } catch (e) {
        const err = e instanceof MetricError ? e : new MetricError('FailedGetResourceMetric', (e as Error).message);
        recorder.event(hpa, 'Warning', err.reason, err.message);
        invalid++;
        first ??= err;
        continue;
      }
      metrics.push(p.status);
      if (p.replicas > proposal) {
        proposal = p.replicas;
        name = p.name;
      }
    }
    return { proposal, metrics, name, invalid, total: specs.length, first };
  }

  async function reconcile(key: string): Promise<ReconcileResult | void> {
    const hpa = hpas.get(key) as Hpa | undefined;
    if (!hpa) {
      recommendations.delete(key);
      scaleEvents.delete(key);
      return;
    }
    const now = Date.now();
    const nowStr = shortTime(new Date(now));
    const ns = hpa.metadata?.namespace;
    const conds = [...(hpa.status?.conditions ?? [])];
    const status: HorizontalPodAutoscalerStatus = {
      ...(hpa.status ?? { desiredReplicas: 0 }), observedGeneration: hpa.metadata?.generation, conditions: conds,
    };
    const ref = targetRef(hpa);
    const targetName = hpa.spec?.scaleTargetRef.name ?? '';
    let target: Target | undefined;
    try {
      if (!ref) throw new Error(`no resource serves ${hpa.spec?.scaleTargetRef.apiVersion ?? ''} ${hpa.spec?.scaleTargetRef.kind ?? ''}`);
      target = await client.get<Target>(ref, targetName, ns);
    } catch (e) {
      const msg = `the HPA controller was unable to get the target's current scale: ${(e as Error).message}`;
      recorder.event(hpa, 'Warning', 'FailedGetScale', (e as Error).message);
      setCondition(conds, { type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: msg }, nowStr);
      await writeStatus(hpa, status);
      return { requeueAfter: syncPeriodMs };
    }
    const current = target.spec?.replicas ?? 1;
    status.currentReplicas = current;
    const min = hpa.spec?.minReplicas ?? 1;
    const max = hpa.spec?.maxReplicas ?? 1;
    let desired = current;
    let reason = '';
    if (current === 0 && min !== 0) {
      desired = 0;
      setCondition(conds, { type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' }, nowStr);
    } else {
      let sel;
      try {
        sel = target.spec?.selector ? selectorFromLabelSelector(target.spec.selector) : nothing();
      } catch {
        sel = nothing();
      }
      const selected = pods.byIndex(BY_NAMESPACE, ns ?? '').filter((p) => sel.matches(p.metadata?.labels ?? {}));
      const statusReplicas = target.status?.replicas ?? current;
      const computed = await computeReplicas(hpa, current, statusReplicas, selected, sel.toString());
      const first = computed.first;
      if (first && (computed.invalid >= computed.total || computed.proposal < current)) {
        recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${computed.invalid} invalid out of ${computed.total}), first error is: ${first.wrapped}`);
        setCondition(conds, { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: 'the HPA controller was able to get the target\'s current scale' }, nowStr);
        setCondition(conds, { type: 'ScalingActive', status: 'False', reason: first.reason, message: `the HPA was unable to compute the replica count: ${first.message}` }, nowStr);
        await writeStatus(hpa, status);
        return { requeueAfter: syncPeriodMs };
      }
      status.currentMetrics = computed.metrics;
      reason = `${computed.name} ${computed.proposal > current ? 'above' : 'below'} target`;
      setCondition(conds, {
        type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound',
        message: `the HPA was able to successfully calculate a replica count from ${computed.name}`,
      }, nowStr);
      const rules = effectiveRules(hpa.spec?.behavior);
      const history = recommendations.get(key) ?? [];
      recommendations.set(key, history);
      const stable = stabilize(history, computed.proposal, current, rules, now);
      const events = (scaleEvents.get(key) ?? []).filter((e) => e.at > now - 1800_000);
      scaleEvents.set(key, events);
      const limited = limitReplicas(stable, current, min, max, events, rules, now);
      desired = limited.replicas;
      setCondition(conds, { type: 'ScalingLimited', status: limited.limited ? 'True' : 'False', reason: limited.reason, message: limited.message }, nowStr);
    }
    status.desiredReplicas = desired;
    if (desired !== current) {
      await client.patch(ref, targetName, { spec: { replicas: desired } }, 'merge', { namespace: ns });
      scaleEvents.get(key)?.push({ at: now, change: desired - current });
      status.lastScaleTime = nowStr;
      status.currentReplicas = current;
      recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${desired > current ? reason : 'All metrics below target'}`);
      setCondition(conds, { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}` }, nowStr);
    } else {
      setCondition(conds, { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' }, nowStr);
    }
    conds.sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
    await writeStatus(hpa, status);
    return { requeueAfter: syncPeriodMs };
  }

  async function writeStatus(hpa: Hpa, status: HorizontalPodAutoscalerStatus): Promise<void> {
    if (status.observedGeneration === undefined) delete status.observedGeneration;
    try {
      // A merge patch: the informer's copy may lag our own last write, and status is ours alone.
      await client.patch(R.horizontalpodautoscalers, hpa.metadata?.name ?? '', { status }, 'merge', { subresource: 'status', namespace: hpa.metadata?.namespace });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return newReconciler(ctx, 'horizontal-pod-autoscaler', { workers: 2 })
    .for<Hpa>('horizontalpodautoscalers', { update: (o, n) => o.metadata?.generation !== n.metadata?.generation })
    .complete(reconcile);
}

const ORDER = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];
