// Facts about Ingresses and IngressClasses that the API server (admission, validation), the bootstrap
// controller and the built-in ingress proxy (main/ingress) share.
import type { Ingress, IngressClass } from './types';

/** The IngressClass every cluster starts with (marked default), served by the built-in proxy. */
export const FLOTILLA_INGRESS_CLASS = 'flotilla';
/** Its spec.controller: the built-in ingress proxy in the control-plane process. */
export const FLOTILLA_INGRESS_CONTROLLER = 'flotilla.dev/ingress';
/** networkingv1.AnnotationIsDefaultIngressClass. */
export const ANN_DEFAULT_INGRESS_CLASS = 'ingressclass.kubernetes.io/is-default-class';
/** The deprecated class annotation (kubernetes.io/ingress.class), honoured where Kubernetes still honours it. */
export const ANN_INGRESS_CLASS = 'kubernetes.io/ingress.class';

export function isDefaultIngressClass(c: IngressClass): boolean {
  return c.metadata?.annotations?.[ANN_DEFAULT_INGRESS_CLASS] === 'true';
}

/** The class an Ingress names: spec.ingressClassName, else the deprecated annotation; undefined when neither. */
export function ingressClassOf(ing: Ingress): string | undefined {
  return ing.spec?.ingressClassName ?? ing.metadata?.annotations?.[ANN_INGRESS_CLASS];
}
