// The IngressClass every cluster starts with: `flotilla`, served by the built-in ingress proxy
// (controller flotilla.dev/ingress) and marked default, so Ingresses that name no class get it.
import { ANN_DEFAULT_INGRESS_CLASS, FLOTILLA_INGRESS_CLASS, FLOTILLA_INGRESS_CONTROLLER } from '../api/ingress';
import type { IngressClass } from '../api/types';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { newBootstrapObject } from './bootstrap-object';

export function flotillaIngressClass(): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: { name: FLOTILLA_INGRESS_CLASS, annotations: { [ANN_DEFAULT_INGRESS_CLASS]: 'true' } },
    spec: { controller: FLOTILLA_INGRESS_CONTROLLER },
  };
}

export function newIngressClassBootstrap(ctx: ControllerContext): Controller {
  const classes = ctx.informers.informer('ingressclasses');
  return newBootstrapObject(ctx, {
    name: 'ingress-class', ref: R.ingressclasses, object: flotillaIngressClass,
    exists: () => Boolean(classes.get(FLOTILLA_INGRESS_CLASS)), created: `created IngressClass ${FLOTILLA_INGRESS_CLASS}`,
  });
}
