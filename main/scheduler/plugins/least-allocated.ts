// NodeResourcesFit's LeastAllocated score: prefer nodes with the most free cpu and memory after
// placing the pod (non-zero default requests, equal weights).
import type { ScorePlugin } from '../types';

function free(requested: number, alloc: number): number {
  if (alloc <= 0 || requested > alloc) return 0;
  return ((alloc - requested) * 100) / alloc;
}

export const leastAllocated: ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  score(pod, nodes, out) {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      out[i] = (free(n.nzCpu + pod.nonZeroCpu, n.allocCpuMilli) + free(n.nzMem + pod.nonZeroMem, n.allocMem)) / 2;
    }
  },
};
