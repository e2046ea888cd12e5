// A pod's journey as OpenTelemetry spans: one trace per pod, its trace ID the pod's UID (a UUID is 128
// bits, as a trace ID is), so the API server, scheduler, controllers and every node's agent put their
// spans into the same trace without carrying a traceparent on the object. Spans start from the tracer
// of the component (`flotilla/<component>`) through the global provider: with none registered (tracing
// off) they are OpenTelemetry's no-op spans, and callers skip their detail when `isRecording()` is false.
import { createHash } from 'node:crypto';
import { ROOT_CONTEXT, TraceFlags, trace, type Attributes, type Context, type Span, type TimeInput } from '@opentelemetry/api';

/** The span attribute every journey span carries (OpenTelemetry's semantic convention for a pod's UID). */
export const POD_UID = 'k8s.pod.uid';
export const POD_NAME = 'k8s.pod.name';
export const POD_NAMESPACE = 'k8s.namespace.name';
export const NODE_NAME = 'k8s.node.name';

/** The steps of a pod's journey, by span name. */
export const STEP = {
  create: 'apiserver.create',
  update: 'apiserver.update',
  delete: 'apiserver.delete',
  schedule: 'scheduler.schedule',
  bind: 'scheduler.bind',
  seen: 'kubelet.seen',
  sandbox: 'kubelet.sandbox',
  image: 'kubelet.image',
  createContainer: 'kubelet.create-container',
  startContainer: 'kubelet.start-container',
  ready: 'kubelet.ready',
  status: 'kubelet.status',
  terminate: 'kubelet.terminate',
  endpointAdded: 'endpointslice.add',
  endpointRemoved: 'endpointslice.remove',
  rulesAdded: 'proxy.rules-add',
  rulesRemoved: 'proxy.rules-remove',
} as const;
export type StepName = (typeof STEP)[keyof typeof STEP];

/** The components, as their tracers are named (instrumentation scope `flotilla/<component>`). */
export type Component = 'apiserver' | 'scheduler' | 'kubelet' | 'endpointslice-controller' | 'kube-proxy';

const HEX32 = /^[0-9a-f]{32}$/;

/** The trace ID of a pod's journey: its UID's 32 hex digits (a UID that is no UUID is hashed to 128 bits). */
export function podTraceId(uid: string): string {
  const hex = uid.replace(/-/g, '').toLowerCase();
  return HEX32.test(hex) && !/^0+$/.test(hex) ? hex : createHash('sha256').update(uid).digest('hex').slice(0, 32);
}

function rootSpanIdOf(traceId: string): string {
  const id = traceId.slice(16);
  return /^0+$/.test(id) ? '0000000000000001' : id;
}

/** The journey's (virtual) root span: its ID is the trace ID's second half, so every component names the same parent. */
export function podRootSpanId(uid: string): string {
  return rootSpanIdOf(podTraceId(uid));
}

/** The context a pod's spans start in: the remote parent of its trace. */
export function podContext(uid: string): Context {
  const traceId = podTraceId(uid);
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: rootSpanIdOf(traceId), traceFlags: TraceFlags.SAMPLED, isRemote: true });
}

export interface PodRef { uid: string; name?: string; namespace?: string }

/** Starts a span of `pod`'s journey by `component`; end it with `span.end()`. */
export function startPodSpan(component: Component, step: StepName, pod: PodRef, attributes?: Attributes, startTime?: TimeInput): Span {
  // One object, filled in place: spreads made three more per span, on every pod write.
  const attrs: Attributes = { [POD_UID]: pod.uid };
  if (pod.name) attrs[POD_NAME] = pod.name;
  if (pod.namespace) attrs[POD_NAMESPACE] = pod.namespace;
  if (attributes) Object.assign(attrs, attributes);
  return trace.getTracer(`flotilla/${component}`).startSpan(step, { attributes: attrs, startTime }, podContext(pod.uid));
}

/** A finished span from `start` to now (or `end`). */
export function podSpan(component: Component, step: StepName, pod: PodRef, start: TimeInput, attributes?: Attributes, end?: TimeInput): void {
  startPodSpan(component, step, pod, attributes, start).end(end);
}

let enabled = false;

/** Whether this process records spans (a provider was started): callers skip the detail of a step otherwise. */
export function tracingEnabled(): boolean {
  return enabled;
}

/** Set by `startTracing` and its stop. */
export function setTracingEnabled(on: boolean): void {
  enabled = on;
}
