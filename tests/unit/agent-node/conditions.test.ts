import { describe, expect, it } from 'vitest';
import { NETWORK_NOT_READY, nodeConditions, type NodeHealth } from '../../../vm-images/agent/node/conditions';

const healthy: NodeHealth = { memoryAvailableBytes: 2 ** 30, diskAvailableRatio: 0.5, pidAvailableRatio: 0.9, runtimeReady: true, networkReady: true };

describe('node conditions', () => {
  it('a healthy node: the kubelet\'s reasons and messages', () => {
    const c = nodeConditions(healthy, undefined, '2026-01-01T00:00:00Z');
    expect(c.map((x) => [x.type, x.status, x.reason, x.message])).toEqual([
      ['NetworkUnavailable', 'False', 'RouteCreated', 'Flotilla agent configured the pod network'],
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ]);
    expect(c.every((x) => x.lastHeartbeatTime === '2026-01-01T00:00:00Z' && x.lastTransitionTime === '2026-01-01T00:00:00Z')).toBe(true);
  });

  it('pressure from real numbers at the default eviction thresholds', () => {
    const c = nodeConditions({ ...healthy, memoryAvailableBytes: 50 * 2 ** 20, diskAvailableRatio: 0.05, pidAvailableRatio: 0.01 }, undefined, 't');
    expect(c.find((x) => x.type === 'MemoryPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' });
    expect(c.find((x) => x.type === 'DiskPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' });
    expect(c.find((x) => x.type === 'PIDPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available' });
  });

  it('not ready while the network is not configured or the runtime is down, with the reasons', () => {
    const net = nodeConditions({ ...healthy, networkReady: false }, undefined, 't');
    expect(net.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'KubeletNotReady', message: NETWORK_NOT_READY });
    expect(net.find((x) => x.type === 'NetworkUnavailable')?.status).toBe('True');
    const both = nodeConditions({ ...healthy, networkReady: false, runtimeReady: false, runtimeError: 'connection refused' }, undefined, 't');
    expect(both.find((x) => x.type === 'Ready')?.message).toBe(`[container runtime is down: connection refused, ${NETWORK_NOT_READY}]`);
  });

  it('keeps lastTransitionTime while a status holds and moves it on a change', () => {
    const first = nodeConditions({ ...healthy, networkReady: false }, undefined, 't1');
    const second = nodeConditions(healthy, first, 't2');
    expect(second.find((x) => x.type === 'MemoryPressure')).toMatchObject({ lastTransitionTime: 't1', lastHeartbeatTime: 't2' });
    expect(second.find((x) => x.type === 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: 't2' });
  });
});
