// DaemonSet validation (apps ValidateDaemonSetSpec / ValidateDaemonSetUpdate).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { invalid, notSupported, required } from './cause';
import { nonNegative } from './container';
import { goLabelSelector, goStringMap } from './gofmt';
import { validatePodTemplate } from './podspec';
import { checkType, isObj, obj, strMap } from './read';
import { selectorSize, validateLabelSelector } from './selector';
import {
  intOrPercentValue, intOrString, notMoreThan100Percent, positiveIntOrPercent, selectorImmutable,
  templateRestartPolicy, workloadSelector,
} from './workload';

function validateUpdateStrategy(strategyIn: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const s = obj(strategyIn);
  const type = typeof s.type === 'string' ? s.type : '';
  if (type === 'RollingUpdate') {
    if (!isObj(s.rollingUpdate)) return [required(`${path}.rollingUpdate`)];
    const ru = s.rollingUpdate;
    const p = `${path}.rollingUpdate`;
    const surge = ru.maxSurge ?? 0;
    causes.push(...positiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
    causes.push(...positiveIntOrPercent(surge, `${p}.maxSurge`));
    causes.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
    causes.push(...notMoreThan100Percent(surge, `${p}.maxSurge`));
    // Exactly one of maxSurge and maxUnavailable is non-zero.
    const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
    const hasSurge = intOrPercentValue(surge) !== 0;
    if (hasUnavailable && hasSurge) causes.push(invalid(`${p}.maxSurge`, intOrString(surge), 'may not be set when maxUnavailable is non-zero'));
    if (!hasUnavailable && !hasSurge) causes.push(required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  } else if (type !== 'OnDelete') {
    causes.push(notSupported(`${path}.type`, type, ['OnDelete', 'RollingUpdate']));
  }
  return causes;
}

export function validateDaemonSet(ds: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(ds.spec);
  checkType(causes, 'spec.minReadySeconds', spec.minReadySeconds, 'integer');
  checkType(causes, 'spec.revisionHistoryLimit', spec.revisionHistoryLimit, 'integer');
  if (!isObj(spec.selector)) causes.push(required('spec.selector'));
  causes.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const tpl = obj(spec.template);
  const labels = strMap(obj(tpl.metadata).labels);
  const selector = workloadSelector(spec.selector);
  if (selector && !selector.matches(labels)) {
    causes.push(invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  }
  if (isObj(spec.selector) && selectorSize(spec.selector) === 0) {
    causes.push(invalid('spec.selector', goLabelSelector(spec.selector), 'empty selector is invalid for daemonset'));
  }
  causes.push(...validatePodTemplate(tpl, 'spec.template'));
  causes.push(...templateRestartPolicy(tpl, 'spec.template'));
  causes.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  causes.push(...validateUpdateStrategy(spec.updateStrategy, 'spec.updateStrategy'));
  causes.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return causes;
}

export function validateDaemonSetUpdate(next: KObject, prev: KObject): Cause[] {
  return selectorImmutable(obj(next.spec).selector, obj(prev.spec).selector);
}
