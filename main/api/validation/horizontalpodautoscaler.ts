// autoscaling/v2 HorizontalPodAutoscaler validation (ValidateHorizontalPodAutoscalerSpec, the parts
// Flotilla acts on: replica bounds, the scale target, resource metrics and behavior rules).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { invalid, notSupported, required } from './cause';
import { checkType, isObj, list, obj, str } from './read';

const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

function validateRules(raw: unknown, path: string): Cause[] {
  if (!isObj(raw)) return [];
  const causes: Cause[] = [];
  const w = raw.stabilizationWindowSeconds;
  if (typeof w === 'number') {
    if (w < 0) causes.push(invalid(`${path}.stabilizationWindowSeconds`, w, 'must be greater than or equal to 0'));
    if (w > MAX_STABILIZATION_WINDOW_SECONDS) causes.push(invalid(`${path}.stabilizationWindowSeconds`, w, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  const sel = raw.selectPolicy;
  if (sel !== undefined && !['Max', 'Min', 'Disabled'].includes(str(sel))) causes.push(notSupported(`${path}.selectPolicy`, sel, ['Disabled', 'Max', 'Min']));
  list(raw.policies).forEach((p, i) => {
    const pol = obj(p);
    const pp = `${path}.policies[${i}]`;
    if (!['Pods', 'Percent'].includes(str(pol.type))) causes.push(notSupported(`${pp}.type`, pol.type ?? '', ['Percent', 'Pods']));
    if (typeof pol.value !== 'number' || pol.value <= 0) causes.push(invalid(`${pp}.value`, pol.value ?? 0, 'must be greater than zero'));
    const period = pol.periodSeconds;
    if (typeof period !== 'number' || period <= 0) causes.push(invalid(`${pp}.periodSeconds`, period ?? 0, 'must be greater than zero'));
    else if (period > MAX_PERIOD_SECONDS) causes.push(invalid(`${pp}.periodSeconds`, period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return causes;
}

function validateMetric(raw: unknown, path: string): Cause[] {
  const m = obj(raw);
  const type = str(m.type);
  const types = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
  if (!types.includes(type)) return [notSupported(`${path}.type`, type, types)];
  if (type !== 'Resource') return [];
  const res = obj(m.resource);
  const causes: Cause[] = [];
  if (!res.name) causes.push(required(`${path}.resource.name`, 'must specify a resource name'));
  const target = obj(res.target);
  const t = str(target.type);
  if (t === 'Utilization') {
    const u = target.averageUtilization;
    if (typeof u !== 'number' || u <= 0) causes.push(invalid(`${path}.resource.target.averageUtilization`, u ?? 0, 'must be greater than 0'));
  } else if (t !== 'AverageValue') {
    causes.push(notSupported(`${path}.resource.target.type`, t, ['AverageValue', 'Utilization']));
  }
  return causes;
}

export function validateHorizontalPodAutoscaler(hpa: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(hpa.spec);
  checkType(causes, 'spec.minReplicas', spec.minReplicas, 'integer');
  checkType(causes, 'spec.maxReplicas', spec.maxReplicas, 'integer');
  const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
  if (min < 1) causes.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 0;
  if (max < 1) causes.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (max < min) causes.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const ref = obj(spec.scaleTargetRef);
  if (!ref.kind) causes.push(required('spec.scaleTargetRef.kind'));
  if (!ref.name) causes.push(required('spec.scaleTargetRef.name'));
  list(spec.metrics).forEach((m, i) => causes.push(...validateMetric(m, `spec.metrics[${i}]`)));
  const behavior = obj(spec.behavior);
  causes.push(...validateRules(behavior.scaleUp, 'spec.behavior.scaleUp'), ...validateRules(behavior.scaleDown, 'spec.behavior.scaleDown'));
  return causes;
}
