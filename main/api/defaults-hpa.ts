// autoscaling/v2 HorizontalPodAutoscaler defaults (SetDefaults_HorizontalPodAutoscaler and
// SetDefaults_HorizontalPodAutoscalerBehavior): minReplicas 1, no metrics means CPU at 80% of
// requests, and a given behavior gets the default rules for whatever direction it leaves out.
import type { HPAScalingRules, KObject } from './types';
import { asObj, child, setDefault } from './defaults-pod';

/** Scale-up without limits beyond 4 pods or 100% per 15 s, no stabilisation (GenerateHPAScaleUpRules). */
export const DEFAULT_SCALE_UP: HPAScalingRules = {
  stabilizationWindowSeconds: 0, selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
};
/** Scale-down by up to 100% per 15 s after a 300 s stabilisation window (GenerateHPAScaleDownRules). */
export const DEFAULT_SCALE_DOWN: HPAScalingRules = {
  stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

function rules(behavior: Record<string, unknown>, key: 'scaleUp' | 'scaleDown', defaults: HPAScalingRules): void {
  const r = asObj(behavior[key]);
  if (!r) {
    behavior[key] = structuredClone(defaults);
    return;
  }
  setDefault(r, 'stabilizationWindowSeconds', defaults.stabilizationWindowSeconds);
  setDefault(r, 'selectPolicy', defaults.selectPolicy);
  if (!Array.isArray(r.policies) || !r.policies.length) r.policies = structuredClone(defaults.policies);
}

export function horizontalPodAutoscaler(o: KObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || !spec.metrics.length) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  const behavior = asObj(spec.behavior);
  if (behavior) {
    rules(behavior, 'scaleUp', DEFAULT_SCALE_UP);
    rules(behavior, 'scaleDown', DEFAULT_SCALE_DOWN);
  }
}
