// Which assigned-pod events leave a parked pod parked, by the plugins that rejected it (EventsToRegister).
import { describe, expect, it } from 'vitest';
import { skipsAssignedPodEvent, type AssignedPodEvent } from '../../../main/scheduler/pod-changes';

const skips = (event: AssignedPodEvent, ...plugins: string[]): boolean => skipsAssignedPodEvent(event, new Set(plugins));

describe('assigned-pod event hints', () => {
  it('keeps a pod only node events can help parked on every pod event', () => {
    for (const event of ['add', 'update', 'delete'] as const) {
      expect(skips(event, 'NodeAffinity', 'TaintToleration', 'NodeUnschedulable', 'NodeName')).toBe(true);
    }
  });

  it('retries a pod waiting for room or a host port only when a pod goes away', () => {
    expect(skips('add', 'NodeResourcesFit', 'NodePorts')).toBe(true);
    expect(skips('update', 'NodeResourcesFit')).toBe(true); // terminating: its resources are still taken
    expect(skips('delete', 'NodeResourcesFit')).toBe(false);
    expect(skips('delete', 'NodePorts', 'NodeAffinity')).toBe(false);
  });

  it('retries a pod affinity or topology spread rejected on any pod event', () => {
    for (const event of ['add', 'update', 'delete'] as const) {
      expect(skips(event, 'InterPodAffinity')).toBe(false);
      expect(skips(event, 'PodTopologySpread', 'TaintToleration')).toBe(false);
    }
  });

  it('retries a pod whose rejection named no plugin, or a plugin without a table entry', () => {
    expect(skips('add')).toBe(false);
    expect(skips('add', 'VolumeBinding')).toBe(false);
    expect(skips('add', '', 'NodeAffinity')).toBe(false);
  });
});
