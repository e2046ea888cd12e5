// Kinds whose controllers report the spec generation they have acted on (status.observedGeneration):
// Deployments, ReplicaSets and DaemonSets (their Kubernetes strategies bump metadata.generation on a
// spec change) and Machines (a custom resource with a status subresource, which Kubernetes treats the same).
import type { Strategy } from '../strategy';

export const generationStrategy: Strategy = { tracksGeneration: true };
