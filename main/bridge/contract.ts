// The UI bridge contract: every request/response call and every pushed event between the
// control plane and the renderer, in one map. Electron IPC (preload) and the web-mode WebSocket
// carry exactly these shapes; the renderer cannot tell which transport it has.
// Types plus two channel-name constants: the renderer imports it with `import type`; the preload
// also imports IPC_CALL/IPC_EVENT.
import type { KObject, Machine, MachineProvider, WatchEventType } from '../api/types';
import type { ForwardTarget, PortForward } from '../api/port-forward';

/** The kinds the UI keeps informers for. */
export type Kind = 'nodes' | 'pods' | 'deployments' | 'services' | 'events' | 'machines'
  // Your app on the map: pods' owners (ReplicaSet → Deployment, Job → CronJob).
  | 'replicasets' | 'jobs';

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

/** Request/response calls: name → { req, res }. */
export interface BridgeCalls {
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
  // Open from the host: port forwards the control plane keeps (they outlive the session); 'forwards' events on change.
  forwards: { req: null; res: PortForward[] };
  /** Without localPort: the forward to this target if there is one, else a new one on a port picked (the target's own when free). */
  openForward: { req: { target: ForwardTarget; localPort?: number }; res: PortForward };
  stopForward: { req: { id: string }; res: null };
  // Your app on the map: a Deployment pinned to a node (required node affinity on kubernetes.io/hostname) let go.
  unpinApp: { req: { name: string; namespace: string }; res: null };
}

export type CallName = keyof BridgeCalls;
export type CallReq<K extends CallName> = BridgeCalls[K]['req'];
export type CallRes<K extends CallName> = BridgeCalls[K]['res'];

export interface WatchEventItem {
  type: WatchEventType;
  object: KObject;
}

/** Pushed events: name → payload. */
export interface BridgeEvents {
  /** Watch events in arrival order, batched; `closed` ends the watch (error 410: list again). */
  watch: { watchId: string; events: WatchEventItem[]; closed?: { error?: BridgeError } };
  /** Log lines, batched; `end` ends the stream (with the server's message when it failed). */
  log: { streamId: string; lines: string[]; end?: { error?: BridgeError } };
  metrics: { samples: MetricSample[]; available: boolean; message?: string };
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

/** Channel names on Electron IPC. */
export const IPC_CALL = 'flotilla:call';
export const IPC_EVENT = 'flotilla:event';

/** Messages on the web-mode WebSocket. */
export type WsClientMessage = { id: number; call: CallName; req: unknown };
export type WsServerMessage =
  | { id: number; result: BridgeResult<unknown> }
  | { event: EventName; payload: unknown };
