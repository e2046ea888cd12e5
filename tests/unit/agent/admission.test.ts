// The kubelet's resource admission (noderesources.Fits' order and messages): pods first, then cpu, then memory.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../main/api/types';
import { admitResources } from '../../../vm-images/agent/pods/admission';

const pod = (cpu?: string, memory?: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'x', ...(cpu || memory ? { resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } } : {}) }] },
});
const node = { cpu: '2', memory: '1Gi', pods: '3' };

describe('kubelet resource admission', () => {
  it('admits a pod that fits beside the admitted ones, and any pod when the node says nothing', () => {
    expect(admitResources(pod('500m', '256Mi'), [pod('1', '512Mi')], node)).toBeUndefined();
    expect(admitResources(pod('100'), [], undefined)).toBeUndefined();
    expect(admitResources(pod(), [pod('2', '1Gi')], node)).toBeUndefined(); // no requests: only the pod count applies
  });

  it('refuses cpu in millicores, memory in bytes, with the used and capacity figures', () => {
    expect(admitResources(pod('1500m'), [pod('1')], node)).toEqual({ reason: 'OutOfcpu', message: "Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000" });
    expect(admitResources(pod(undefined, '600Mi'), [pod(undefined, '512Mi')], node)).toEqual({
      reason: 'OutOfmemory', message: "Node didn't have enough resource: memory, requested: 629145600, used: 536870912, capacity: 1073741824",
    });
  });

  it('checks the pod count first, then cpu, then memory', () => {
    expect(admitResources(pod('5', '5Gi'), [pod(), pod(), pod()], node)?.reason).toBe('OutOfpods');
    expect(admitResources(pod('5', '5Gi'), [], node)?.reason).toBe('OutOfcpu');
    expect(admitResources(pod(), [pod(), pod(), pod()], node)?.message).toBe("Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3");
  });
});
