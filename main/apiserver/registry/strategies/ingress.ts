// Ingresses: metadata.generation follows spec changes (Kubernetes' ingress strategy), and DefaultIngressClass
// admission on create.
import type { KObject } from '../../../api/types';
import { admitIngressClass } from '../admission/ingress-class';
import type { CreateAttributes, Strategy } from '../strategy';

export const ingressStrategy: Strategy = {
  tracksGeneration: true,
  admitCreate(obj: KObject, a: CreateAttributes): Promise<void> {
    admitIngressClass(obj, a.reader);
    return Promise.resolve();
  },
};
