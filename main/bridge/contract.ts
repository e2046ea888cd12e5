// The UI bridge contract: every request/response call and every pushed event between the
// control plane and the renderer, in one map. Electron IPC (preload) and the web-mode WebSocket
// carry exactly these shapes; the renderer cannot tell which transport it has.
// Types plus two channel-name constants: the renderer imports it with `import type`; the preload
// also imports IPC_CALL/IPC_EVENT.
import type { KObject, Machine, MachineProvider, StatusCause, WatchEventType } from '../api/types';
import type { PodJourney } from '../api/journey';
import type { PodRef } from '../api/image-usage';
import type { Table } from '../api/table';
import type { ForwardTarget, PortForward } from '../api/port-forward';
import type { ArchitectureSnapshot } from '../api/architecture';
import type { NodeFault, NodeFaultState, PodFault, PodFaultState } from '../api/faults';
import type { NodeLifecycleSettings } from '../api/node-lifecycle-settings';

/** The kinds the UI keeps informers for. */
export type Kind = 'nodes' | 'pods' | 'deployments' | 'services' | 'events' | 'machines'
  // Find anything: the namespace selector's list.
  | 'namespaces'
  // Your app on the map: pods' owners (ReplicaSet → Deployment, Job → CronJob).
  | 'replicasets' | 'jobs'
  // Workloads: the StatefulSets and DaemonSets beside the Deployments, and the CronJobs beside the Jobs.
  | 'statefulsets' | 'daemonsets' | 'cronjobs';

/** A failed call, readable by a person: the API's Status code, reason and message. */
export interface BridgeError {
  code: number;
  reason: string;
  message: string;
}

export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export interface ObjectRef {
  kind: Kind;
  name: string;
  namespace?: string;
}

export interface ProviderAvailability {
  provider: MachineProvider;
  available: boolean;
  /** Why not, when unavailable; a hint otherwise. */
  reason?: string;
}

export interface AddMachineRequest {
  provider: MachineProvider;
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  /** Defaults to a generated name. */
  name?: string;
}

export interface EnvPair {
  name: string;
  value: string;
}

export interface DeployAppRequest {
  name: string;
  image: string;
  replicas: number;
  namespace?: string;
  /** Container port; a Service is created when set and expose is not 'None'. */
  port?: number;
  env?: EnvPair[];
  expose: 'ClusterIP' | 'NodePort' | 'None';
  /** Pin to one node (required node affinity on kubernetes.io/hostname); unset: the scheduler places it. */
  node?: string;
}

export interface LogRequest {
  namespace: string;
  pod: string;
  container?: string;
  previous?: boolean;
  follow?: boolean;
  tailLines?: number;
}

/** Shell: what a terminal runs in; a pod's container (a shell found in it) or a node (over Flotilla's SSH connection). */
export type ShellTarget = { type: 'pod'; namespace: string; pod: string; container?: string } | { type: 'node'; node: string };

export interface ShellStartRequest {
  target: ShellTarget;
  cols: number;
  rows: number;
}

/** Shell: how a terminal session ended. */
export interface ShellEnd {
  /** The shell's exit code, when it exited on its own. */
  exitCode?: number;
  /** Why it could not start or was cut off (no shell in the container, connection lost, …). */
  error?: BridgeError;
}

export interface MetricSample {
  node: string;
  /** Milliseconds since the epoch of the sample. */
  at: number;
  cpuMillis: number;
  memoryBytes: number;
}

export interface AppliedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** The cluster a UI session shows: this Flotilla (id '') or a kubeconfig context. */
export interface ClusterInfo {
  id: string;
  name: string;
  server: string;
  /** This Flotilla: nodes can be added, images imported and built; off for any other cluster. */
  flotilla: boolean;
  /** The context's namespace, if it names one. */
  namespace?: string;
}

/** A context of a kubeconfig file the UI knows. */
export interface ClusterContextInfo {
  /** `<file>#<name>` */
  id: string;
  name: string;
  file: string;
  server?: string;
  user: string;
  namespace?: string;
  /** The file's current-context. */
  current: boolean;
  /** Why the UI cannot connect with it (an exec plugin, a missing file…), when it cannot. */
  problem?: string;
}

/** Other clusters: the kubeconfig contexts a session may show instead of this Flotilla. */
export interface ClusterCalls {
  clusters: { req: null; res: { active: ClusterInfo; contexts: ClusterContextInfo[]; files: Array<{ path: string; added: boolean; error?: string }> } };
  /** Adds a kubeconfig by its path on this machine, or by its text (an upload: kept in the data dir). */
  addKubeconfig: { req: { path?: string; fileName?: string; content?: string }; res: { file: string; contexts: ClusterContextInfo[] } };
  removeKubeconfig: { req: { path: string }; res: null };
  /** Switches this session to a context (id '' : this Flotilla); the session's watches and streams end. */
  useCluster: { req: { id: string }; res: ClusterInfo };
}

// Images view (issue 15): every node's images and the pods using them, the built-in registry, builds from a Dockerfile.
export interface NodeImage {
  /** sha256:… (absent when only status.images was available). */
  id?: string;
  /** Repo tags, then repo digests. */
  names: string[];
  sizeBytes: number;
  /** Kept by the runtime (the pause image); unknown (absent) from status.images. */
  pinned?: boolean;
  pods: PodRef[];
}
export interface NodeImages {
  node: string;
  images: NodeImage[];
  /** 'agent': the node's whole list; 'status': Node status.images (at most 50), when the agent could not be asked (error says why). */
  source: 'agent' | 'status';
  error?: string;
}
export interface RegistryTag {
  repository: string;
  tag: string;
  /** The manifest (or index) digest. */
  digest: string;
  /** Config plus layers (for an index, of the manifest for this host's platform). */
  sizeBytes: number;
  /** How nodes and pods name it: localhost:<port>/<repository>:<tag>. */
  image: string;
  pods: PodRef[];
}
export interface RegistryImages {
  /** localhost:<port>; absent when Flotilla runs no built-in registry. */
  address?: string;
  repositories: Array<{ name: string; tags: RegistryTag[] }>;
  /** Why the list is empty or partial. */
  message?: string;
}
export interface BuildFile {
  /** Relative to the build context, "/"-separated. */
  path: string;
  dataBase64: string;
}
export interface BuildImageRequest {
  /** NAME[:TAG] under the built-in registry (flotilla/web:1), or a whole reference. */
  name: string;
  /** A folder on the machine running Flotilla (Electron's dropped folder) … */
  dir?: string;
  /** … or the context's files (web mode), at most BUILD_CONTEXT_LIMIT bytes in all. */
  files?: BuildFile[];
}
export const BUILD_CONTEXT_LIMIT = 50 * 1024 * 1024;
export interface ImageCalls {
  nodeImages: { req: { node?: string }; res: NodeImages[] };
  pullNodeImage: { req: { node: string; image: string }; res: { imageRef: string } };
  /** Removes one image nothing on the node uses; pinned and in-use images are refused (409). */
  removeNodeImage: { req: { node: string; image: string }; res: { images: number; removed: string[]; freedBytes: number } };
  /** Removes every image no container on the node uses, pinned ones kept. */
  pruneNodeImages: { req: { node: string }; res: { images: number; removed: string[]; freedBytes: number } };
  registryImages: { req: null; res: RegistryImages };
  /** Deletes a manifest by digest (every tag pointing at it). */
  deleteRegistryImage: { req: { repository: string; digest: string }; res: null };
  /** Starts a build; its log arrives as 'build' events with this buildId, the last one with `end`. */
  buildImage: { req: BuildImageRequest; res: { buildId: string } };
}
export interface ImageEvents {
  build: { buildId: string; lines: string[]; end?: { image?: string; digest?: string; error?: BridgeError } };
}

// Architecture view (h-arch): every component's live figures and the activity on the links between them.
export interface ArchitectureCalls {
  architectureSnapshot: { req: null; res: ArchitectureSnapshot };
  /** Sends 'architecture' events (the first at once, then every intervalMs, default 2000, at least 500) until unsubscribed. */
  subscribeArchitecture: { req: { intervalMs?: number } | null; res: { subscriptionId: string } };
  unsubscribeArchitecture: { req: { subscriptionId: string }; res: null };
}
export interface ArchitectureEvents {
  architecture: { subscriptionId: string; snapshot?: ArchitectureSnapshot; error?: BridgeError };
}

// Resource browser (h-browser): any served kind, found by discovery.
/** One listable resource the API serves (its preferred version), from discovery. */
export interface ApiResourceType {
  group: string;
  version: string;
  /** The plural, as in the URL: `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** Subresource names: `status`, `scale`, … */
  subresources: string[];
}

/** A resource to list, optionally in one namespace and with a label selector. */
export interface ResourceListRequest {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  labelSelector?: string;
}

/** One object of any kind. */
export interface AnyObjectRef {
  group: string;
  version: string;
  resource: string;
  name: string;
  namespace?: string;
}

/** An object that names another one as an owner. */
export interface OwnedObject extends AnyObjectRef {
  kind: string;
  controller: boolean;
}

/** One revision of a Deployment (its ReplicaSet) or a StatefulSet/DaemonSet (its ControllerRevision), as `kubectl rollout history`. */
export interface RolloutRevision {
  revision: number;
  /** The kubernetes.io/change-cause annotation, when set. */
  changeCause?: string;
  /** The ReplicaSet or ControllerRevision holding it. */
  source: string;
  created?: string;
  /** The revision the object runs now (the highest). */
  current: boolean;
  images: string[];
}

// Edit and apply YAML (the YAML editor): objects by apiVersion/kind, per-document (dry-run) apply, OpenAPI v3 schemas.
/** Any served object, by apiVersion and kind (custom resources included). */
export interface ObjectKey {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Why one document was refused: the API's Status, with its causes (field paths as Kubernetes words them). */
export interface DocumentError extends BridgeError {
  causes?: StatusCause[];
}

/** One object of a YAML text, applied or dry-run: `document` is its index among the text's documents. */
export interface DocumentResult {
  document: number;
  /** Its index in a `kind: List` document's items. */
  item?: number;
  key?: ObjectKey;
  /** The object before (null: it does not exist yet); without managedFields. Set on dry-runs. */
  live?: KObject | null;
  /** What the server made of it (or would make, on a dry-run); without managedFields. */
  result?: KObject;
  error?: DocumentError;
}

/** The parts of an OpenAPI v3 document the editor reads: its schemas. */
export interface OpenApiSchema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  required?: string[];
  enum?: unknown[];
  allOf?: OpenApiSchema[];
  $ref?: string;
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

// Time travel (issue 17): the store's history window and the cluster as it was at a past revision (lists at an
// Exact resourceVersion: read-only, the live cluster untouched).
export interface HistoryWindow {
  /** The oldest revision still readable (the compact revision; 1 before the first compaction). */
  oldest: number;
  /** The newest revision. */
  current: number;
  /** When they were written (ms since the epoch), when the store recorded it. */
  oldestAt?: number;
  currentAt?: number;
  /** How often the store compacts to the revision current one interval earlier (ms; 0: never), as kube-apiserver does. */
  intervalMs: number;
  nextCompactionAt?: number;
  lastCompaction?: { at: number; revision: number };
}
/** The cluster map's objects and the events as they were at one revision. */
export interface HistorySnapshot {
  revision: number;
  at?: number;
  nodes: KObject[];
  pods: KObject[];
  deployments: KObject[];
  events: KObject[];
}
/** One object at one revision: null where it did not exist then. */
export interface HistoryVersion {
  revision: number;
  at?: number;
  object: KObject | null;
}

/** One-click failures (h-chaos): failures on this Flotilla's sandbox nodes and pods, the heal, the node-lifecycle timings. */
export interface FaultCalls {
  /** The cluster's node-monitor grace period and default toleration seconds (501 for another cluster). */
  nodeLifecycleSettings: { req: null; res: NodeLifecycleSettings };
  /** Whether the node takes failures and which are in force. */
  nodeFaults: { req: { node: string }; res: NodeFaultState };
  /** Causes a failure on the node, recorded as a Warning Event on it; it stays until healNode. */
  injectNodeFault: { req: { node: string; fault: NodeFault }; res: NodeFaultState };
  /** Undoes every failure on the node (rules, fill file), reconnects and bootstraps it again (booted if killed). */
  healNode: { req: { node: string }; res: NodeFaultState };
  /** A failure of one container of the pod (the first running one when none is named), recorded as an Event on the pod. */
  injectPodFault: { req: { namespace: string; name: string; fault: PodFault; container?: string }; res: null };
  /** The pod's failures in force (a failed readiness probe, until healPod or its node's heal). */
  podFaults: { req: { namespace: string; name: string }; res: PodFaultState };
  /** Restores the pod's failed readiness probes, recorded as a Normal Event on the pod. */
  healPod: { req: { namespace: string; name: string }; res: PodFaultState };
}

/** Request/response calls: name → { req, res }. */
export interface BridgeCalls extends ClusterCalls, ImageCalls, ArchitectureCalls, FaultCalls {
  list: { req: { kind: Kind }; res: { items: KObject[]; resourceVersion: string } };
  /** Starts a watch; events arrive as 'watch' events with this watchId until 'unwatch' or a CLOSED event. */
  watch: { req: { kind: Kind; resourceVersion: string }; res: { watchId: string } };
  unwatch: { req: { watchId: string }; res: null };
  get: { req: ObjectRef; res: KObject };
  delete: { req: ObjectRef; res: null };
  /** Server-side apply of every document in a YAML text. */
  applyYaml: { req: { yaml: string; namespace?: string }; res: { applied: AppliedObject[] } };
  deployApp: { req: DeployAppRequest; res: { deployment: string; service?: string } };
  deleteApp: { req: { name: string; namespace: string }; res: null };
  scale: { req: { name: string; namespace: string; replicas: number }; res: null };
  cordon: { req: { node: string; unschedulable: boolean }; res: null };
  /** waiting: pods a PodDisruptionBudget keeps for now, each "<ns>/<pod>: <why>". */
  drain: { req: { node: string }; res: { evicted: number; waiting: string[] } };
  /** Removes a node: its Machine when it has one, else the Node object. */
  removeNode: { req: { node: string }; res: null };
  providers: { req: null; res: ProviderAvailability[] };
  addMachine: { req: AddMachineRequest; res: Machine };
  /** Replaces a failed Machine by a new one with the same spec. */
  retryMachine: { req: { name: string }; res: Machine };
  removeMachine: { req: { name: string }; res: null };
  /** Imports an OCI/Docker image tarball for the nodes (kept for every node bootstrapped from now on). */
  importImage: { req: { fileName: string; dataBase64: string }; res: { message: string } };
  /** Starts a log stream; lines arrive as 'log' events with this streamId. */
  logs: { req: LogRequest; res: { streamId: string } };
  stopLogs: { req: { streamId: string }; res: null };
  /** Sends 'metrics' events every few seconds while at least one subscription is open. */
  subscribeMetrics: { req: null; res: { subscriptionId: string } };
  unsubscribeMetrics: { req: { subscriptionId: string }; res: null };
  // Edit and apply YAML (the YAML editor)
  /** An object by apiVersion/kind/name, without managedFields. */
  getObjectByKind: { req: ObjectKey; res: KObject };
  /** Server-side apply of every document (dryRun: nothing stored); force takes fields other managers own. Errors are per document. */
  applyDocuments: { req: { yaml: string; namespace?: string; dryRun: boolean; force?: boolean }; res: { documents: DocumentResult[] } };
  /** The API's OpenAPI v3 schemas of one group-version ("v1", "apps/v1", a CRD's). */
  openapiSchemas: { req: { apiVersion: string }; res: { schemas: Record<string, OpenApiSchema> } };
  // Shell: a terminal in a container or on a node; output arrives as 'shell' events with this sessionId.
  shellStart: { req: ShellStartRequest; res: { sessionId: string; command: string } };
  /** Keystrokes and pasted text, base64 (binary-safe). */
  shellInput: { req: { sessionId: string; dataBase64: string }; res: null };
  shellResize: { req: { sessionId: string; cols: number; rows: number }; res: null };
  /** Output bytes the terminal has drawn: the server holds back output beyond a window of unacknowledged bytes. */
  shellAck: { req: { sessionId: string; bytes: number }; res: null };
  shellStop: { req: { sessionId: string }; res: null };
  // Resource browser (h-browser): discovery, kubectl's tables, any object, its events and owned objects, workload actions.
  discover: { req: null; res: ApiResourceType[] };
  /** Objects per resource (`<group>/<resource>`), in one namespace or all. */
  countResources: { req: { namespace?: string }; res: Record<string, number> };
  /** The list as a meta.k8s.io/v1 Table, the columns `kubectl get` prints (rows carry the objects' metadata). */
  listTable: { req: ResourceListRequest; res: Table };
  /** Watches a resource from a resourceVersion; changes arrive as 'resourceChanged' events (throttled) until 'unwatch'. */
  watchResource: { req: ResourceListRequest & { resourceVersion: string }; res: { watchId: string } };
  getObject: { req: AnyObjectRef; res: KObject };
  /** The events whose involvedObject is this object, oldest first. */
  objectEvents: { req: AnyObjectRef; res: KObject[] };
  /** The objects whose ownerReferences name this one (same namespace, or cluster-scoped ones). */
  ownedObjects: { req: AnyObjectRef; res: OwnedObject[] };
  rolloutHistory: { req: AnyObjectRef; res: RolloutRevision[] };
  /** `kubectl rollout undo` (toRevision 0 or unset: the previous one); the message is kubectl's. */
  rolloutUndo: { req: AnyObjectRef & { toRevision?: number }; res: { message: string } };
  /** `kubectl rollout restart`: the kubectl.kubernetes.io/restartedAt template annotation. */
  rolloutRestart: { req: AnyObjectRef; res: null };
  /** `kubectl scale` through the scale subresource. */
  scaleObject: { req: AnyObjectRef & { replicas: number }; res: null };
  /** `kubectl create job --from=cronjob/<name>`; the job is named `<name>-manual-<suffix>` unless given. */
  triggerCronJob: { req: { namespace: string; name: string; jobName?: string }; res: { job: string } };
  // Open from the host: port forwards the control plane keeps (they outlive the session); 'forwards' events on change.
  forwards: { req: null; res: PortForward[] };
  /** Without localPort: the forward to this target if there is one, else a new one on a port picked (the target's own when free). */
  openForward: { req: { target: ForwardTarget; localPort?: number }; res: PortForward };
  stopForward: { req: { id: string }; res: null };
  // Your app on the map: a Deployment pinned to a node (required node affinity on kubernetes.io/hostname) let go.
  unpinApp: { req: { name: string; namespace: string }; res: null };
  // Time travel (issue 17): the history window, the cluster at a revision, one object at several revisions.
  historyWindow: { req: null; res: HistoryWindow };
  historyAt: { req: { revision: number }; res: HistorySnapshot };
  historyObject: { req: ObjectRef & { revisions: number[] }; res: HistoryVersion[] };
  /** A new compaction interval (kept for the next start); 422 for one that cannot be used. */
  setCompactionInterval: { req: { intervalMs: number }; res: HistoryWindow };
  // A pod's journey (h-journey): its steps through the components, from its trace (the pod's Journey tab).
  podJourney: { req: { uid: string }; res: PodJourney };
}

export type CallName = keyof BridgeCalls;
export type CallReq<K extends CallName> = BridgeCalls[K]['req'];
export type CallRes<K extends CallName> = BridgeCalls[K]['res'];

export interface WatchEventItem {
  type: WatchEventType;
  object: KObject;
}

/** Pushed events: name → payload. */
export interface BridgeEvents extends ImageEvents, ArchitectureEvents {
  /** Watch events in arrival order, batched; `closed` ends the watch (error 410: list again). */
  watch: { watchId: string; events: WatchEventItem[]; closed?: { error?: BridgeError } };
  /** Log lines, batched; `end` ends the stream (with the server's message when it failed). */
  log: { streamId: string; lines: string[]; end?: { error?: BridgeError } };
  metrics: { samples: MetricSample[]; available: boolean; message?: string };
  /** Shell: terminal output (base64, batched); `end` ends the session. */
  shell: { sessionId: string; dataBase64: string; end?: ShellEnd };
  /** Resource browser (h-browser): the watched resource changed (list it again); `closed` ends the watch. */
  resourceChanged: { watchId: string; closed?: { error?: BridgeError } };
  /** The port forwards, whenever they or their pods' readiness change. */
  forwards: { forwards: PortForward[] };
}

export type EventName = keyof BridgeEvents;

/** What preload exposes as window.flotilla and what the web-mode client implements. */
export interface BridgeApi {
  call<K extends CallName>(name: K, req: CallReq<K>): Promise<BridgeResult<CallRes<K>>>;
  /** Subscribes to one pushed event; returns the disposer. */
  on<E extends EventName>(name: E, listener: (payload: BridgeEvents[E]) => void): () => void;
}

/** Usage charts (h-uiperf): how often the bridge samples node metrics, so the UI knows the time its history spans. */
export const METRICS_INTERVAL_MS = 5000;

/**
 * What the main process answers an IPC call with: a result, or a value kept encoded (a big kind's list, list-cache.ts)
 * as JSON text, which the page parses (cheaper than cloning 10,000 objects through IPC and the context bridge).
 */
export type IpcReply = BridgeResult<unknown> | { ok: true; encoded: string };

/** What preload exposes as window.flotilla: the bridge as IPC answers it (the page's transport makes it a BridgeApi). */
export interface PreloadApi {
  call(name: CallName, req: unknown): Promise<IpcReply>;
  on: BridgeApi['on'];
}

/** Channel names on Electron IPC. */
export const IPC_CALL = 'flotilla:call';
export const IPC_EVENT = 'flotilla:event';

/** Messages on the web-mode WebSocket. */
export type WsClientMessage = { id: number; call: CallName; req: unknown };
export type WsServerMessage =
  | { id: number; result: BridgeResult<unknown> }
  | { event: EventName; payload: unknown };
