// The scheduler's part of a pod's journey: a scheduling attempt as a span from the pod's queueing to
// the decision, with examined nodes' filter verdicts and feasible nodes' scores per plugin as span events
// ("why this node"; at most framework.ts' EXPLAIN_NODES of each, the chosen node always), and the binding as a
// span of its own.
import type { Span } from '@opentelemetry/api';
import { NODE_NAME, STEP, startPodSpan } from '../protocol/tracing/pod-trace';
import type { CycleExplain } from './framework';
import type { PodInfo } from './types';

export const FILTER_EVENT = 'filter';
export const SCORE_EVENT = 'score';

/** A scheduling attempt being traced; `explain` is undefined when tracing is off (the cycle then records nothing). */
export interface TracedAttempt { span: Span; explain?: CycleExplain }

function podRef(pi: PodInfo): { uid: string; name?: string; namespace?: string } {
  return { uid: pi.uid, name: pi.pod.metadata?.name, namespace: pi.pod.metadata?.namespace };
}

export function startAttempt(pi: PodInfo): TracedAttempt {
  const span = startPodSpan('scheduler', STEP.schedule, podRef(pi), undefined, pi.queuedAt);
  return { span, explain: span.isRecording() ? { filters: [], scores: [], examined: 0 } : undefined };
}

/** Ends the attempt: the chosen node, or why none fits. */
export function endAttempt(a: TracedAttempt, outcome: { node: string } | { message: string }): void {
  const { span, explain } = a;
  if (!explain) return;
  const now = Date.now();
  for (const f of explain.filters) {
    span.addEvent(FILTER_EVENT, { [NODE_NAME]: f.node, 'flotilla.fits': f.reasons.length === 0, 'flotilla.reasons': f.reasons }, now);
  }
  for (const s of explain.scores) {
    const attributes: Record<string, string | number> = { [NODE_NAME]: s.node, 'flotilla.score': s.total };
    for (const k in s.plugins) attributes[`flotilla.score.${k}`] = s.plugins[k];
    span.addEvent(SCORE_EVENT, attributes, now);
  }
  const examined = Math.max(explain.examined, explain.filters.length);
  if ('node' in outcome) span.setAttributes({ [NODE_NAME]: outcome.node, 'flotilla.result': 'Scheduled', 'flotilla.nodes_examined': examined });
  else span.setAttributes({ 'flotilla.result': 'Unschedulable', 'flotilla.message': outcome.message, 'flotilla.nodes_examined': examined });
  span.end(now);
}

/** The binding to `node`, from the decision to the API's answer. */
export function startBind(pi: PodInfo, node: string): Span {
  return startPodSpan('scheduler', STEP.bind, podRef(pi), { [NODE_NAME]: node });
}
