// The EndpointSlice controller's part of a pod's journey: a slice write that adds a pod as a ready
// endpoint, or takes it out, as a span of that pod's trace (from the reconcile to the API's answer).
import type { SliceEndpoint } from '../api/types';
import { endpointChanges, readyPods } from '../protocol/tracing/endpoint-changes';
import { STEP, podSpan, tracingEnabled } from '../protocol/tracing/pod-trace';

export function traceSliceWrite(service: string, slice: string, before: readonly SliceEndpoint[], after: readonly SliceEndpoint[], start: number): void {
  if (!tracingEnabled()) return;
  const { added, removed } = endpointChanges(readyPods(before), readyPods(after));
  const attrs = { 'k8s.service.name': service, 'flotilla.endpointslice': slice };
  for (const p of added) podSpan('endpointslice-controller', STEP.endpointAdded, p, start, attrs);
  for (const p of removed) podSpan('endpointslice-controller', STEP.endpointRemoved, p, start, attrs);
}
