// networking/v1 SetDefaults_IngressClass: parameters without a scope are cluster-scoped. (Ingress has no defaults in v1.)
import type { KObject } from './types';
import { asObj, setDefault } from './defaults-pod';

export function defaultIngressClass(o: KObject): void {
  const params = asObj(asObj(o.spec)?.parameters);
  if (params) setDefault(params, 'scope', 'Cluster');
}
