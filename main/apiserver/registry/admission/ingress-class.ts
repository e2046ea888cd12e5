// The DefaultIngressClass admission plugin: an Ingress created without spec.ingressClassName and without the
// deprecated kubernetes.io/ingress.class annotation gets the default IngressClass (the newest of those annotated
// ingressclass.kubernetes.io/is-default-class: "true"), if there is one.
import { resourceForKind } from '../../../api/resources';
import { ANN_INGRESS_CLASS, isDefaultIngressClass } from '../../../api/ingress';
import type { IngressClass, KObject } from '../../../api/types';
import type { ObjectReader } from '../strategy';
import { newestDefault } from '../../../api/newest-default';

const INGRESS_CLASSES = resourceForKind('networking.k8s.io/v1', 'IngressClass')!;

export function admitIngressClass(obj: KObject, reader: ObjectReader): void {
  const spec = (obj.spec ??= {}) as Record<string, unknown>;
  if (spec.ingressClassName !== undefined && spec.ingressClassName !== null) return;
  if (obj.metadata?.annotations?.[ANN_INGRESS_CLASS] !== undefined) return;
  const classes = reader.list(INGRESS_CLASSES, undefined).items as unknown as IngressClass[];
  const name = newestDefault(classes, isDefaultIngressClass)?.metadata?.name;
  if (name) spec.ingressClassName = name;
}
