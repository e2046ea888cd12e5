// The scheduler framework's vocabulary: a pod's precomputed facts (PodInfo), a node's running
// totals (NodeInfo, in node-info.ts), and the plugin interfaces.
import type { Affinity, PersistentVolume, PersistentVolumeClaim, Pod, Toleration } from '../api/types';
import type { NodeInfo } from './node-info';
import type { NamespaceLabels, PodAffinityTerms } from './affinity-terms';
import type { SpreadState } from './plugins/pod-topology-spread';
import type { InterPodState } from './plugins/inter-pod-affinity';

export interface PodInfo {
  pod: Pod;
  key: string;
  uid: string;
  /** When the scheduler queued this version of the pod (ms), where its journey's scheduling step starts. */
  queuedAt: number;
  cpuMilli: number;
  memBytes: number;
  /** Requests with Kubernetes' non-zero defaults (100m, 200Mi) for scoring. */
  nonZeroCpu: number;
  nonZeroMem: number;
  hostPorts: string[];
  tolerations: Toleration[];
  ownerUid?: string;
  /** spec.priority (0 when unset) and whether the pod may preempt (preemptionPolicy is not Never). */
  priority: number;
  preempts: boolean;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  /** Set by VolumeBinding's PreFilter for a pod with claims (plugins/volume-binding.ts). */
  volumes?: PodVolumes;
  /** Its pod affinity and anti-affinity terms, compiled (undefined when it has none). */
  interPod?: PodAffinityTerms;
  /** Set by the PreFilter of PodTopologySpread and InterPodAffinity for the cycle that runs (undefined: nothing to check). */
  spread?: SpreadState;
  interPodState?: InterPodState;
}

/** A pod's claims as VolumeBinding sees them in one cycle. */
export interface PodVolumes {
  /** Volumes of its bound claims: a node must satisfy their node affinity. */
  bound: PersistentVolume[];
  /** Its unbound WaitForFirstConsumer claims: each needs an available volume that fits the node, unless its class provisions one there. */
  delayed: Array<{ claim: PersistentVolumeClaim; candidates: PersistentVolume[]; provisionable: boolean }>;
  /** A bound claim names a volume that does not exist: no node fits. */
  boundVolumeMissing?: boolean;
}

/** Why a node does not fit: reasons, and whether preemption could help (Unschedulable) or not. */
export interface FilterFailure {
  reasons: string[];
  unresolvable: boolean;
  /** The Filter plugin that failed (set by the framework). */
  plugin?: string;
}

export interface FilterPlugin {
  name: string;
  filter(pod: PodInfo, node: NodeInfo): FilterFailure | undefined;
}

/** What every cycle's PreFilter plugins may read besides the nodes. */
export interface CycleContext {
  namespaceLabels: NamespaceLabels;
}

/** Computes the cycle's state for the pod from every node (stored on the PodInfo) before any node is filtered. */
export interface PreFilterPlugin {
  name: string;
  preFilter(pod: PodInfo, nodes: readonly NodeInfo[], ctx: CycleContext): void;
}

export interface ScorePlugin {
  name: string;
  weight: number;
  /** A score for each of the feasible `nodes` (same order); `all`: every node of the cycle, feasible or not (`nodes` when left out). */
  score(pod: PodInfo, nodes: NodeInfo[], out: Float64Array, all?: readonly NodeInfo[]): void;
}

/** Rescales raw scores to 0..100 (higher raw is better unless `reverse`). */
export function normalize(scores: Float64Array, n: number, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < n; i++) if (scores[i] > max) max = scores[i];
  for (let i = 0; i < n; i++) {
    if (max === 0) scores[i] = reverse ? 100 : 0;
    else scores[i] = reverse ? 100 - (scores[i] * 100) / max : (scores[i] * 100) / max;
  }
}
