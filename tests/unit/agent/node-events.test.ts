// The kubelet's node events as the agent records them: condition changes and cordon/uncordon.
import { describe, expect, it } from 'vitest';
import type { NodeCondition } from '../../../main/api/types';
import { conditionEvents, schedulableEvent } from '../../../vm-images/agent/node/node-events';

const cond = (type: string, status: string): NodeCondition => ({ type, status });

describe('node events', () => {
  it('records each condition that is new or changed status, with the kubelet\'s reasons and words', () => {
    const first = [cond('MemoryPressure', 'False'), cond('DiskPressure', 'False'), cond('PIDPressure', 'False'), cond('Ready', 'True'), cond('NetworkUnavailable', 'False')];
    expect(conditionEvents('n1', undefined, first).map((e) => `${e.reason}: ${e.message}`)).toEqual([
      'NodeHasSufficientMemory: Node n1 status is now: NodeHasSufficientMemory',
      'NodeHasNoDiskPressure: Node n1 status is now: NodeHasNoDiskPressure',
      'NodeHasSufficientPID: Node n1 status is now: NodeHasSufficientPID',
      'NodeReady: Node n1 status is now: NodeReady',
    ]);
    expect(conditionEvents('n1', first, first)).toEqual([]);
    const later = first.map((c) => (c.type === 'Ready' ? cond('Ready', 'False') : c.type === 'DiskPressure' ? cond('DiskPressure', 'True') : c));
    expect(conditionEvents('n1', first, later).map((e) => e.reason)).toEqual(['NodeHasDiskPressure', 'NodeNotReady']);
    // Unknown is the node lifecycle controller's to report, not the kubelet's.
    expect(conditionEvents('n1', first, [cond('Ready', 'Unknown')])).toEqual([]);
  });

  it('records a cordon and an uncordon once each', () => {
    expect(schedulableEvent('n1', false, false)).toBeUndefined();
    expect(schedulableEvent('n1', false, true)).toEqual({ type: 'Normal', reason: 'NodeNotSchedulable', message: 'Node n1 status is now: NodeNotSchedulable' });
    expect(schedulableEvent('n1', true, true)).toBeUndefined();
    expect(schedulableEvent('n1', true, false)?.reason).toBe('NodeSchedulable');
  });
});
