// What every handler may use: the registry and store, and the backends that reach nodes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Store } from '../store/types';
import type { NodeMetrics, PodMetrics, StoredObject } from '../api/types';
import type { Registry } from './registry/registry';
import type { Authorizer } from './authz/authorizer';
import type { TokenIssuer } from './serviceaccount/issuer';
import type { ServiceAccountAuthenticator } from './serviceaccount/authenticator';
import type { Identity } from './auth';
import type { ControlPlaneMetrics } from './metrics/registry';
import type { Aggregator } from './aggregator/aggregator';

/** Authorization and service-account tokens: what the review and TokenRequest handlers use. */
export interface AuthServices {
  authorizer: Authorizer;
  issuer: TokenIssuer;
  serviceAccounts: ServiceAccountAuthenticator;
  /** The static tokens (the admin's, the nodes'): a TokenReview authenticates them as the API server does. */
  staticTokens?: { staticIdentity(token: string): Identity | undefined };
}

/** Streams that a pod's node serves: logs, exec and port-forward (proxied to the node's agent). */
export interface PodStreamBackend {
  logs(pod: StoredObject, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** nodes/proxy: a GET of `path` on the node's agent (the kubelet's server), answered as it answers. */
  nodeProxy(node: string, path: string, query: URLSearchParams, res: ServerResponse): Promise<void>;
  /** A byte stream to port `port` of a pod on `node` (pods/proxy, services/proxy). */
  dialPod(node: string, namespace: string, pod: string, port: number): Promise<Duplex>;
  /** Takes over an upgraded (WebSocket) connection for exec or port-forward. */
  upgrade(pod: StoredObject, subresource: 'exec' | 'attach' | 'portforward', req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

/** Live usage reported by the nodes, served as metrics.k8s.io. */
export interface MetricsSource {
  nodeMetrics(): NodeMetrics[];
  podMetrics(namespace?: string): PodMetrics[];
  /** Called before each read: a source that gathers only while it is read (re)starts here and may make the read wait. */
  demand?(): Promise<void>;
}

/** One of the control plane's components as `kubectl get componentstatuses` reports it. */
export interface ComponentHealth {
  name: string;
  healthy: boolean;
  /** "ok" when healthy; what is wrong when not. */
  message: string;
}

export interface ApiContext {
  registry: Registry;
  store: Store;
  pods?: PodStreamBackend;
  metrics?: MetricsSource;
  /** The control plane's Prometheus metrics (/metrics); unset: nothing is counted. */
  instruments?: ControlPlaneMetrics;
  auth?: AuthServices;
  /** The scheduler's and the controller manager's health, when they run in this process (etcd-0, the store, is checked here). */
  components?: () => ComponentHealth[];
  watchTimeoutMs: number;
  bookmarkIntervalMs: number;
  /** kube-aggregator: APIServices that name a Service are proxied to it; unset: nothing is aggregated. */
  aggregator?: Aggregator;
}
