// The horizontal pod autoscaler: every sync period, each HPA reads its target's replicas and pod
// selector, the pods' CPU/memory from metrics.k8s.io against their requests and External metrics from
// external.metrics.k8s.io (an aggregated server: KEDA, prometheus-adapter), proposes a count per
// metric (the largest wins), stabilises it and applies the behavior's rate limits and the
// min/max bounds, scales the target and reports status with the AbleToScale, ScalingActive and
// ScalingLimited conditions and SuccessfulRescale events.
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerStatus, KObject, MetricStatus, Pod, PodMetrics } from '../api/types';
import { storedResourceOfKind } from '../api/resources';
import { formatLabelSelector, nothing, selectorFromLabelSelector } from '../api/labels';
import { parseQuantity } from '../api/quantity';
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
import { TOLERANCE, effectiveRules, limitReplicas, proposeReplicas, resourceUtilization, stabilize } from './hpa-replicas';

/** --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_MS = 15_000;
const POD_METRICS: ResourceRef = { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods', namespaced: true };

type Hpa = HorizontalPodAutoscaler & KObject;
type Target = KObject & { spec?: { replicas?: number; selector?: Parameters<typeof selectorFromLabelSelector>[0] } };
type Cond = Omit<HorizontalPodAutoscalerCondition, 'lastTransitionTime'>;
type MetricSpec = NonNullable<NonNullable<HorizontalPodAutoscaler['spec']>['metrics']>[number];

/** external.metrics.k8s.io/v1beta1 ExternalMetricValue (what KEDA's or prometheus-adapter's server answers). */
interface ExternalMetricValue { metricName?: string; metricLabels?: Record<string, string>; timestamp?: string; value: string }

/** A metric's replica proposal, the name the HPA's messages give it, and its status entry. */
interface Proposal { replicas: number; name: string; status: MetricStatus }

/** A metric that could not be read: the condition's and the event's reason (FailedGetResourceMetric, FailedGetExternalMetric). */
class MetricError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
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

  /** One Resource metric's proposal (cpu or memory against the pods' requests, from metrics.k8s.io). */
  async function resourceProposal(hpa: Hpa, spec: MetricSpec, current: number, selected: Pod[]): Promise<Proposal> {
    const res = spec.resource;
    if (!res || (res.name !== 'cpu' && res.name !== 'memory')) throw new MetricError('FailedGetResourceMetric', `unsupported metric type ${spec.type}`);
    const list = await client.list<PodMetrics & KObject>(POD_METRICS, { namespace: hpa.metadata?.namespace });
    let u;
    try {
      u = resourceUtilization(selected, list.items, res.name);
    } catch (e) {
      throw new MetricError('FailedGetResourceMetric', `failed to get ${res.name} utilization: ${(e as Error).message}`);
    }
    let p: number;
    if (res.target.type === 'Utilization') {
      p = proposeReplicas(current, u, res.target.averageUtilization ?? 80);
    } else {
      const target = Number(res.target.averageValue ?? 0);
      p = target > 0 ? Math.ceil((u.podCount * Number(u.averageValue.replace(/m$/, ''))) / (res.name === 'cpu' ? target * 1000 : target)) : current;
    }
    return {
      replicas: p, name: `${res.name} resource utilization (percentage of request)`,
      status: { type: 'Resource', resource: { name: res.name, current: { averageUtilization: u.utilization, averageValue: u.averageValue } } },
    };
  }

  /** One External metric's proposal (GetExternalMetricReplicas / GetExternalPerPodMetricReplicas): its values summed. */
  async function externalProposal(hpa: Hpa, spec: MetricSpec, current: number, selected: Pod[]): Promise<Proposal> {
    const ext = spec.external!;
    const ns = hpa.metadata?.namespace ?? '';
    const selectorText = labelSelectorString(ext.metric.selector);
    let values: number[];
    try {
      const labelSelector = ext.metric.selector ? formatLabelSelector(ext.metric.selector) : undefined;
      const ref: ResourceRef = { group: 'external.metrics.k8s.io', version: 'v1beta1', plural: ext.metric.name, namespaced: true };
      const list = await client.list<ExternalMetricValue & KObject>(ref, { namespace: ns, labelSelector: labelSelector || undefined });
      if (!list.items.length) throw new Error('no metrics returned from external metrics API');
      values = list.items.map((v) => parseQuantity(v.value));
    } catch (e) {
      throw new MetricError('FailedGetExternalMetric', `unable to get external metric ${ns}/${ext.metric.name}/${selectorText}: ${(e as Error).message}`);
    }
    // In milli-units, as the metrics client sums MilliValue()s.
    const usage = values.reduce((a, b) => a + Math.round(b * 1000), 0) / 1000;
    const name = `external metric ${ext.metric.name}(${selectorText})`;
    const metric = { name: ext.metric.name, ...(ext.metric.selector ? { selector: ext.metric.selector } : {}) };
    if (ext.target.type === 'AverageValue') {
      const perPod = parseQuantity(ext.target.averageValue ?? '0');
      let replicas = perPod > 0 ? Math.ceil(usage / perPod) : current;
      if (current > 0 && perPod > 0 && Math.abs(1 - usage / (perPod * current)) <= TOLERANCE) replicas = current;
      const average = milliQuantity(Math.trunc((usage * 1000) / Math.max(1, current)));
      return { replicas, name, status: { type: 'External', external: { metric, current: { averageValue: average } } } };
    }
    const target = parseQuantity(ext.target.value ?? '0');
    const ratio = target > 0 ? usage / target : 1;
    const ready = selected.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running'
      && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    const replicas = current === 0 ? Math.ceil(ratio) : Math.abs(1 - ratio) <= TOLERANCE ? current : Math.ceil(ratio * ready);
    return { replicas, name, status: { type: 'External', external: { metric, current: { value: milliQuantity(Math.round(usage * 1000)) } } } };
  }

  async function computeReplicas(hpa: Hpa, current: number, selected: Pod[]): Promise<{ proposal: number; metrics: MetricStatus[]; name: string }> {
    let proposal = 0;
    let name = '';
    const metrics: MetricStatus[] = [];
    for (const spec of hpa.spec?.metrics ?? []) {
      let p: Proposal;
      if (spec.type === 'Resource') p = await resourceProposal(hpa, spec, current, selected);
      else if (spec.type === 'External' && spec.external) p = await externalProposal(hpa, spec, current, selected);
      else throw new MetricError('FailedGetResourceMetric', `unsupported metric type ${spec.type}`);
      metrics.push(p.status);
      if (p.replicas > proposal) {
        proposal = p.replicas;
        name = p.name;
      }
    }
    return { proposal, metrics, name };
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
      let computed;
      try {
        computed = await computeReplicas(hpa, current, selected);
      } catch (e) {
        const m = (e as Error).message;
        const why = e instanceof MetricError ? e.reason : 'FailedGetResourceMetric';
        recorder.event(hpa, 'Warning', why, m);
        recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (1 invalid out of 1), first error is: ${m}`);
        setCondition(conds, { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: 'the HPA controller was able to get the target\'s current scale' }, nowStr);
        setCondition(conds, { type: 'ScalingActive', status: 'False', reason: why, message: `the HPA was unable to compute the replica count: ${m}` }, nowStr);
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
