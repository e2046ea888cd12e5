// The horizontal pod autoscaler: every sync period, each HPA reads its target's replicas and pod
// selector, the pods' CPU/memory from metrics.k8s.io against their requests, proposes a count per
// metric (the largest wins), stabilises it and applies the behavior's rate limits and the
// min/max bounds, scales the target and reports status with the AbleToScale, ScalingActive and
// ScalingLimited conditions and SuccessfulRescale events.
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerStatus, KObject, MetricStatus, Pod, PodMetrics } from '../api/types';
import { storedResourceOfKind } from '../api/resources';
import { nothing, selectorFromLabelSelector } from '../api/labels';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R } from '../client/refs';
import type { ResourceRef } from '../client/types';
import { isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { shortTime } from './pod-util';
import type { Recommendation, ScaleEvent } from './hpa-replicas';
import { effectiveRules, limitReplicas, proposeReplicas, resourceUtilization, stabilize } from './hpa-replicas';

/** --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_MS = 15_000;
const POD_METRICS: ResourceRef = { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods', namespaced: true };

type Hpa = HorizontalPodAutoscaler & KObject;
type Target = KObject & { spec?: { replicas?: number; selector?: Parameters<typeof selectorFromLabelSelector>[0] } };
type Cond = Omit<HorizontalPodAutoscalerCondition, 'lastTransitionTime'>;

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

  async function computeReplicas(hpa: Hpa, current: number, selected: Pod[]): Promise<{ proposal: number; metrics: MetricStatus[]; reason: string }> {
    const list = await client.list<PodMetrics & KObject>(POD_METRICS, { namespace: hpa.metadata?.namespace });
    let proposal = 0;
    let reason = '';
    const metrics: MetricStatus[] = [];
    for (const spec of hpa.spec?.metrics ?? []) {
      const res = spec.resource;
      if (spec.type !== 'Resource' || !res || (res.name !== 'cpu' && res.name !== 'memory')) throw new Error(`unsupported metric type ${spec.type}`);
      let u;
      try {
        u = resourceUtilization(selected, list.items, res.name);
      } catch (e) {
        throw new Error(`failed to get ${res.name} utilization: ${(e as Error).message}`);
      }
      let p: number;
      if (res.target.type === 'Utilization') {
        p = proposeReplicas(current, u, res.target.averageUtilization ?? 80);
      } else {
        const target = Number(res.target.averageValue ?? 0);
        p = target > 0 ? Math.ceil((u.podCount * Number(u.averageValue.replace(/m$/, ''))) / (res.name === 'cpu' ? target * 1000 : target)) : current;
      }
      metrics.push({ type: 'Resource', resource: { name: res.name, current: { averageUtilization: u.utilization, averageValue: u.averageValue } } });
      if (p > proposal) {
        proposal = p;
        reason = `${res.name} resource utilization (percentage of request) ${p > current ? 'above' : 'below'} target`;
      }
    }
    return { proposal, metrics, reason };
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
        recorder.event(hpa, 'Warning', 'FailedGetResourceMetric', m);
        recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (1 invalid out of 1), first error is: ${m}`);
        setCondition(conds, { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: 'the HPA controller was able to get the target\'s current scale' }, nowStr);
        setCondition(conds, { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${m}` }, nowStr);
        await writeStatus(hpa, status);
        return { requeueAfter: syncPeriodMs };
      }
      status.currentMetrics = computed.metrics;
      reason = computed.reason;
      setCondition(conds, {
        type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound',
        message: `the HPA was able to successfully calculate a replica count from ${computed.metrics[0]?.resource?.name ?? 'cpu'} resource utilization (percentage of request)`,
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
