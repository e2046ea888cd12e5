// The architecture view's data: every component's live figures (read from the control plane's and
// the agents' Prometheus metrics, and from the API's objects) and the activity on each link since the
// previous snapshot. Built by main/bridge/arch/, drawn by the renderer's Architecture view.

/** A link of the textbook picture along which activity flows. */
export type ArchLink =
  | 'clients-api' | 'api-store' | 'api-scheduler' | 'api-controllers'
  /** The store's watch events on their way back through the API server to its watchers (scheduler, controllers, agents). */
  | 'store-api'
  | `api-node:${string}`;

export interface ArchActivity {
  link: ArchLink;
  /** Events on the link since the previous snapshot (requests, writes, attempts, adds, pod changes). */
  count: number;
}

export interface StoreFiguresView {
  revision: number | null;
  compactRevision: number | null;
  /** ISO time of the store's last compaction (null: none since the control plane started, or unknown). */
  lastCompactionAt: string | null;
  /** Watch events delivered per second (each once per watcher reached). */
  watchEventsPerSec: number | null;
  sizeBytes: number | null;
  writesPerSec: number | null;
  watchers: number | null;
  objects: number | null;
}

export interface ApiServerFiguresView {
  /** Requests per second by verb (GET, LIST, POST, PUT, PATCH, APPLY, DELETE, …), WATCH and CONNECT excluded. */
  requestsPerSec: Record<string, number>;
  totalPerSec: number | null;
  /** Open watches (apiserver_longrunning_requests{verb="WATCH"}). */
  watches: number | null;
  /** 99th percentile latency in ms over the last interval (since start, for the first snapshot). */
  p99Ms: number | null;
  inflight: number | null;
}

export interface SchedulerDecision { namespace: string; pod: string; node: string; at: string }

export interface SchedulerFiguresView {
  active: number | null;
  backoff: number | null;
  unschedulable: number | null;
  scheduled: number | null;
  failed: number | null;
  /** The newest bindings, newest first (the pods' PodScheduled condition). */
  lastDecisions: SchedulerDecision[];
}

export interface ControllerFigures { name: string; depth: number; reconcilesPerSec: number | null; reconciles: number }

export interface AgentFiguresView {
  /** Where the node's figures come from: its agent's /metrics, or only the API (a hollow node, an agent not reachable). */
  source: 'agent' | 'api';
  message?: string;
  runningPods: number | null;
  containers: { running: number; exited: number; created: number } | null;
  podSyncs: number | null;
  podSyncsPerSec: number | null;
  probes: { successful: number; failed: number } | null;
  /** Median pod start (kubelet saw it → Running), seconds. */
  podStartP50: number | null;
  proxyRules: number | null;
  proxyLastSyncMs: number | null;
  /** ISO time of the proxier's last sync. */
  proxyLastSyncAt: string | null;
}

export interface ArchPod { namespace: string; name: string; phase: string }

export interface ArchNode {
  name: string;
  ready: boolean;
  /** The node's Lease spec.renewTime (the kubelet's heartbeat). */
  leaseRenewTime: string | null;
  pods: ArchPod[];
  agent: AgentFiguresView;
}

export interface ArchitectureSnapshot {
  /** ms since the epoch when taken. */
  at: number;
  /** Why control-plane figures are missing, when they are (e.g. /metrics refused). */
  controlPlaneMessage?: string;
  store: StoreFiguresView;
  apiServer: ApiServerFiguresView;
  scheduler: SchedulerFiguresView;
  controllers: ControllerFigures[];
  nodes: ArchNode[];
  activity: ArchActivity[];
}
