// Kinds whose controllers report the spec generation they have acted on (status.observedGeneration):
// Deployments, ReplicaSets, DaemonSets and StatefulSets (their Kubernetes strategies bump metadata.generation on a
// spec change), and every custom resource (apiextensions' strategy does the same; here: Machines).
import type { Strategy } from '../strategy';

export const generationStrategy: Strategy = { tracksGeneration: true };
