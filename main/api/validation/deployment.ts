// Deployment validation (apps ValidateDeploymentSpec / ValidateDeploymentUpdate).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { forbidden, invalid, notSupported, required } from './cause';
import { checkType, isObj, obj } from './read';
import {
  intOrPercentValue, intOrString, notMoreThan100Percent, positiveIntOrPercent, selectorImmutable, validateSelectorAndTemplate,
} from './workload';
import { nonNegative } from './container';

function validateStrategy(strategyIn: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const s = obj(strategyIn);
  const type = typeof s.type === 'string' ? s.type : '';
  if (type === 'Recreate') {
    if (isObj(s.rollingUpdate)) causes.push(forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"));
  } else if (type === 'RollingUpdate') {
    if (!isObj(s.rollingUpdate)) {
      causes.push(required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil'));
    } else {
      const ru = s.rollingUpdate;
      const p = `${path}.rollingUpdate`;
      causes.push(...positiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      causes.push(...positiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        causes.push(invalid(`${p}.maxUnavailable`, intOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      causes.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
    }
  } else {
    causes.push(notSupported(`${path}.type`, type, ['Recreate', 'RollingUpdate']));
  }
  return causes;
}

export function validateDeployment(d: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(d.spec);
  for (const f of ['replicas', 'minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds'] as const) {
    checkType(causes, `spec.${f}`, spec[f], 'integer');
  }
  causes.push(...nonNegative(spec.replicas, 'spec.replicas'));
  causes.push(...validateSelectorAndTemplate(spec));
  causes.push(...validateStrategy(spec.strategy, 'spec.strategy'));
  causes.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  causes.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const pds = spec.progressDeadlineSeconds;
  if (typeof pds === 'number') {
    causes.push(...nonNegative(pds, 'spec.progressDeadlineSeconds'));
    const mrs = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    if (pds <= mrs) causes.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return causes;
}

export function validateDeploymentUpdate(next: KObject, prev: KObject): Cause[] {
  return selectorImmutable(obj(next.spec).selector, obj(prev.spec).selector);
}
