// A pod's QoS class as the server records it in status.qosClass (and the quota's BestEffort scope reads it):
// Guaranteed when every container limits cpu and memory with requests equal to the limits, BestEffort when
// no container requests or limits anything, else Burstable.
import type { Pod } from './types';

export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = pod.spec?.containers ?? [];
  let allGuaranteed = containers.length > 0;
  let any = false;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (l === undefined || String(q) !== String(l)) allGuaranteed = false;
    }
  }
  if (allGuaranteed && any) return 'Guaranteed';
  return any ? 'Burstable' : 'BestEffort';
}
