// networking.k8s.io/v1 NetworkPolicy defaults (SetDefaults_NetworkPolicy, SetDefaults_NetworkPolicyPort):
// ports default to TCP; without policyTypes a policy is an Ingress policy, plus Egress when it has egress rules.
import type { KObject } from './types';
import { asArray, asObj, child, setDefault } from './defaults-pod';

export function networkPolicy(o: KObject): void {
  const spec = child(o, 'spec');
  for (const dir of ['ingress', 'egress'] as const) {
    for (const r of asArray(spec[dir])) {
      for (const p of asArray(asObj(r)?.ports)) {
        const port = asObj(p);
        if (port) setDefault(port, 'protocol', 'TCP');
      }
    }
  }
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes = asArray(spec.egress).length ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}
