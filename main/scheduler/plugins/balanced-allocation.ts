// NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory fractions stay close
// (score = (1 - standard deviation of the fractions) * 100).
import type { ScorePlugin } from '../types';

export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(pod, nodes, out) {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const c = n.allocCpuMilli > 0 ? Math.min(1, (n.nzCpu + pod.nonZeroCpu) / n.allocCpuMilli) : 1;
      const m = n.allocMem > 0 ? Math.min(1, (n.nzMem + pod.nonZeroMem) / n.allocMem) : 1;
      out[i] = (1 - Math.abs(c - m) / 2) * 100;
    }
  },
};
