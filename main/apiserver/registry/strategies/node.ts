// Nodes: the node registers itself with the status it reports (Kubernetes' nodeStrategy keeps all of it on create).
import type { Strategy } from '../strategy';

export const nodeStrategy: Strategy = { keepStatusOnCreate: true };
