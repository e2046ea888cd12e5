// A pod's journey span as the buffer keeps it: in the pod's trace (its UID as trace ID, under the virtual root span),
// with the pod's attributes and the step's own (which win on a clash); no span at all while tracing is off.
import { afterEach, describe, expect, it } from 'vitest';
import { POD_NAME, POD_NAMESPACE, POD_UID, STEP, podRootSpanId, podSpan, podTraceId, startPodSpan } from '../../../main/protocol/tracing/pod-trace';
import { startTracing, type Tracing } from '../../../main/protocol/tracing/tracing';

const UID = '0b5e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
let tracing: Tracing | undefined;

afterEach(async () => {
  await tracing?.stop();
  tracing = undefined;
});

describe('pod journey spans', () => {
  it('are recorded in the pod\'s trace with the pod\'s attributes and the step\'s', () => {
    tracing = startTracing('test');
    podSpan('apiserver', STEP.create, { uid: UID, name: 'web', namespace: 'default' }, Date.now() - 5, { 'flotilla.revision': 7, [POD_NAME]: 'renamed' });
    const [s] = tracing.buffer.spans(UID);
    expect(s.name).toBe(STEP.create);
    expect(s.component).toBe('apiserver');
    expect(s.traceId).toBe('0b5e1f2a3c4d4e5f8a9b0c1d2e3f4a5b');
    expect(s.traceId).toBe(podTraceId(UID));
    expect(s.parentSpanId).toBe(podRootSpanId(UID));
    expect(s.parentSpanId).toBe('8a9b0c1d2e3f4a5b');
    expect(s.attributes).toEqual({ [POD_UID]: UID, [POD_NAME]: 'renamed', [POD_NAMESPACE]: 'default', 'flotilla.revision': 7 });
    expect(s.end).toBeGreaterThanOrEqual(s.start);
  });

  it('leave out the name and namespace a pod reference lacks', () => {
    tracing = startTracing('test');
    startPodSpan('kubelet', STEP.seen, { uid: UID }).end();
    expect(tracing.buffer.spans(UID)[0].attributes).toEqual({ [POD_UID]: UID });
  });

  it('are not recorded while tracing is off', () => {
    const span = startPodSpan('scheduler', STEP.schedule, { uid: UID });
    expect(span.isRecording()).toBe(false);
    span.end();
  });
});
