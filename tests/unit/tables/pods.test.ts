import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { MIN, HOUR, SEC, ago, cells, headers, row } from './fixtures';

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7d4b9c-x2x8k', namespace: 'default', creationTimestamp: ago(3 * HOUR + 25 * MIN), ...meta },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec },
    status,
  };
}

const running = (name = 'web', restartCount = 0, extra: Record<string, unknown> = {}) => ({
  name, ready: true, restartCount, started: true, image: 'nginx:1.27', imageID: '', state: { running: { startedAt: ago(HOUR) } }, ...extra,
});
const waiting = (reason: string, name = 'web', restartCount = 0, extra: Record<string, unknown> = {}) => ({
  name, ready: false, restartCount, image: 'nginx:1.27', imageID: '', state: { waiting: { reason } }, ...extra,
});
const terminated = (reason: string | undefined, exitCode: number, name = 'web', extra: Record<string, unknown> = {}) => ({
  name, ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { terminated: { reason, exitCode, finishedAt: ago(MIN) } }, ...extra,
});
const readyCond = (status: string) => ({ type: 'Ready', status });

describe('pods table', () => {
  it('has the real columns', () => {
    expect(headers('', 'pods')).toEqual({
      normal: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      wide: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    });
  });

  it('running pod, wide cells included', () => {
    const p = pod({ nodeName: 'node-1' }, {
      phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }],
      conditions: [readyCond('True')], containerStatuses: [running()],
    });
    expect(cells('', 'pods', p)).toEqual(['web-7d4b9c-x2x8k', '1/1', 'Running', '0', '3h25m', '10.244.1.5', 'node-1', '<none>', '<none>']);
  });

  it('pending, unscheduled', () => {
    expect(cells('', 'pods', pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] })))
      .toEqual(['web-7d4b9c-x2x8k', '0/1', 'Pending', '0', '3h25m', '<none>', '<none>', '<none>', '<none>']);
  });

  it('scheduling gated', () => {
    const p = pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
    expect(row('', 'pods', p).STATUS).toBe('SchedulingGated');
  });

  it('container creating / image pull errors', () => {
    expect(row('', 'pods', pod({ nodeName: 'n' }, { phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] })).STATUS).toBe('ContainerCreating');
    expect(row('', 'pods', pod({ nodeName: 'n' }, { phase: 'Pending', containerStatuses: [waiting('ErrImagePull')] })).STATUS).toBe('ErrImagePull');
    expect(row('', 'pods', pod({ nodeName: 'n' }, { phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff')] })).STATUS).toBe('ImagePullBackOff');
  });

  it('crash loop with restarts and "(5m ago)"', () => {
    const cs = waiting('CrashLoopBackOff', 'web', 5, { lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * MIN + 10 * SEC) } } });
    const r = row('', 'pods', pod({ nodeName: 'n' }, { phase: 'Running', conditions: [readyCond('False')], containerStatuses: [cs] }));
    expect([r.READY, r.STATUS, r.RESTARTS]).toEqual(['0/1', 'CrashLoopBackOff', '5 (5m10s ago)']);
  });

  it('restarts without a last termination time show just the number', () => {
    const r = row('', 'pods', pod({}, { phase: 'Running', conditions: [readyCond('True')], containerStatuses: [running('web', 2)] }));
    expect(r.RESTARTS).toBe('2');
  });

  it('completed and failed pods, with row conditions', () => {
    const done = pod({ restartPolicy: 'Never' }, { phase: 'Succeeded', containerStatuses: [terminated('Completed', 0)] });
    expect(row('', 'pods', done).STATUS).toBe('Completed');
    const failed = pod({ restartPolicy: 'Never' }, { phase: 'Failed', containerStatuses: [terminated('Error', 2)] });
    expect(row('', 'pods', failed).STATUS).toBe('Error');
    expect(row('', 'pods', pod({}, { phase: 'Failed', containerStatuses: [terminated(undefined, 137)] })).STATUS).toBe('ExitCode:137');
    expect(row('', 'pods', pod({}, { phase: 'Failed', containerStatuses: [terminated(undefined, 0, 'web', { state: { terminated: { exitCode: 0, signal: 9 } } })] })).STATUS).toBe('Signal:9');
  });

  it('pod-level reason overrides the phase (Evicted)', () => {
    expect(row('', 'pods', pod({}, { phase: 'Failed', reason: 'Evicted' })).STATUS).toBe('Evicted');
  });

  it('a completed container next to a running one: Running if the pod is Ready, NotReady otherwise', () => {
    const spec = { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] };
    const statuses = [running('a'), terminated('Completed', 0, 'b')];
    expect(row('', 'pods', pod(spec, { phase: 'Running', conditions: [readyCond('True')], containerStatuses: statuses })).STATUS).toBe('Running');
    expect(row('', 'pods', pod(spec, { phase: 'Running', conditions: [readyCond('False')], containerStatuses: statuses })).STATUS).toBe('NotReady');
    expect(row('', 'pods', pod(spec, { phase: 'Running', conditions: [readyCond('True')], containerStatuses: statuses })).READY).toBe('1/2');
  });

  describe('init containers', () => {
    const spec = { initContainers: [{ name: 'migrate', image: 'm' }, { name: 'seed', image: 's' }] };
    it('Init:x/y while they run', () => {
      const p = pod(spec, { phase: 'Pending', initContainerStatuses: [terminated('Completed', 0, 'migrate'), { ...running('seed'), ready: false }], containerStatuses: [waiting('PodInitializing')] });
      expect(row('', 'pods', p).STATUS).toBe('Init:1/2');
      const first = pod(spec, { phase: 'Pending', initContainerStatuses: [waiting('PodInitializing', 'migrate'), waiting('PodInitializing', 'seed')] });
      expect(row('', 'pods', first).STATUS).toBe('Init:0/2');
    });
    it('Init:<reason> when one fails or waits', () => {
      expect(row('', 'pods', pod(spec, { phase: 'Pending', initContainerStatuses: [waiting('CrashLoopBackOff', 'migrate', 3)] })).STATUS).toBe('Init:CrashLoopBackOff');
      expect(row('', 'pods', pod(spec, { phase: 'Pending', initContainerStatuses: [terminated('Error', 1, 'migrate')] })).STATUS).toBe('Init:Error');
      expect(row('', 'pods', pod(spec, { phase: 'Pending', initContainerStatuses: [terminated(undefined, 3, 'migrate')] })).STATUS).toBe('Init:ExitCode:3');
    });
    it('init restarts count while initializing', () => {
      const p = pod(spec, { phase: 'Pending', initContainerStatuses: [waiting('CrashLoopBackOff', 'migrate', 3, { lastState: { terminated: { exitCode: 1, finishedAt: ago(30 * SEC) } } })] });
      expect(row('', 'pods', p).RESTARTS).toBe('3 (30s ago)');
    });
    it('restartable (sidecar) init containers count towards READY', () => {
      const sidecarSpec = { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] };
      const p = pod(sidecarSpec, {
        phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, readyCond('True')],
        initContainerStatuses: [running('proxy', 1)], containerStatuses: [running('web')],
      });
      const r = row('', 'pods', p);
      expect([r.READY, r.STATUS, r.RESTARTS]).toEqual(['2/2', 'Running', '1']);
    });
  });

  it('terminating, and Unknown when the node is lost', () => {
    const meta = { deletionTimestamp: ago(10 * SEC) };
    expect(row('', 'pods', pod({}, { phase: 'Running', containerStatuses: [running()] }, meta)).STATUS).toBe('Terminating');
    expect(row('', 'pods', pod({}, { phase: 'Running', reason: 'NodeLost', containerStatuses: [running()] }, meta)).STATUS).toBe('Unknown');
    expect(row('', 'pods', pod({}, { phase: 'Succeeded', containerStatuses: [terminated('Completed', 0)] }, meta)).STATUS).toBe('Completed');
  });

  it('nominated node and readiness gates (wide)', () => {
    const p = pod(
      { nodeName: 'node-2', readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
      { phase: 'Running', nominatedNodeName: 'node-3', podIPs: [{ ip: 'fd00::5' }], conditions: [{ type: 'example.com/lb', status: 'True' }], containerStatuses: [running()] },
    );
    const r = row('', 'pods', p);
    expect([r.IP, r.NODE, r['NOMINATED NODE'], r['READINESS GATES']]).toEqual(['fd00::5', 'node-2', 'node-3', '1/2']);
  });

  it('no creation timestamp → <unknown> age', () => {
    expect(row('', 'pods', pod({}, { phase: 'Pending' }, { creationTimestamp: undefined })).AGE).toBe('<unknown>');
  });
});
