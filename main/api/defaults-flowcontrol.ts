// flowcontrol.apiserver.k8s.io/v1 defaults (k8s.io/kubernetes/pkg/apis/flowcontrol/v1/defaults.go): a FlowSchema's
// matchingPrecedence 1000; a limited level's nominalConcurrencyShares 30 and lendablePercent 0, its queuing 64 queues,
// hand size 8, queue length limit 50; an exempt level's shares and lendablePercent 0.
import type { KObject } from './types';
import { asObj, child, setDefault } from './defaults-pod';

export function defaultFlowSchema(o: KObject): void {
  const spec = asObj(o.spec);
  if (spec && !spec.matchingPrecedence) spec.matchingPrecedence = 1000;
}

export function defaultPriorityLevelConfiguration(o: KObject): void {
  const spec = asObj(o.spec);
  if (!spec) return;
  const exempt = asObj(spec.exempt);
  if (exempt) {
    setDefault(exempt, 'nominalConcurrencyShares', 0);
    setDefault(exempt, 'lendablePercent', 0);
  }
  const limited = asObj(spec.limited);
  if (!limited) return;
  setDefault(limited, 'nominalConcurrencyShares', 30);
  setDefault(limited, 'lendablePercent', 0);
  const queuing = asObj(child(limited, 'limitResponse').queuing);
  if (!queuing) return;
  if (!queuing.handSize) queuing.handSize = 8;
  if (!queuing.queues) queuing.queues = 64;
  if (!queuing.queueLengthLimit) queuing.queueLengthLimit = 50;
}
