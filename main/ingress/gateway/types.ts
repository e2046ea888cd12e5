// The Gateway API kinds (gateway.networking.k8s.io, standard channel) as the built-in gateway reads and writes them:
// the fields it serves, with the defaults the CRDs' schemas give (so every optional field may still be absent on
// objects written before a default existed).
import type { Condition, LabelSelector, ObjectMeta } from 'kubernetes-types/meta/v1';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** The GatewayClass every cluster with the Gateway API CRDs gets, and its controller: the built-in gateway. */
export const FLOTILLA_GATEWAY_CLASS = 'flotilla';
export const FLOTILLA_GATEWAY_CONTROLLER = 'flotilla.dev/gateway';

interface GatewayObject<Spec, Status> {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Spec;
  status?: Status;
}

export type GatewayClass = GatewayObject<{ controllerName?: string; description?: string }, {
  conditions?: Condition[];
  supportedFeatures?: Array<{ name: string }>;
}>;

export interface SecretObjectReference { group?: string; kind?: string; name: string; namespace?: string }

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  tls?: { mode?: string; certificateRefs?: SecretObjectReference[] };
  allowedRoutes?: {
    namespaces?: { from?: 'All' | 'Same' | 'Selector'; selector?: LabelSelector };
    kinds?: Array<{ group?: string; kind: string }>;
  };
}

export interface ListenerStatus {
  name: string;
  supportedKinds: Array<{ group?: string; kind: string }>;
  attachedRoutes: number;
  conditions: Condition[];
}

export type Gateway = GatewayObject<{ gatewayClassName?: string; listeners?: Listener[]; addresses?: Array<{ type?: string; value: string }> }, {
  addresses?: Array<{ type?: string; value: string }>;
  conditions?: Condition[];
  listeners?: ListenerStatus[];
}>;

export interface ParentReference { group?: string; kind?: string; namespace?: string; name: string; sectionName?: string; port?: number }

export interface HTTPHeader { name: string; value: string }
export interface HeaderModifier { set?: HTTPHeader[]; add?: HTTPHeader[]; remove?: string[] }
export interface PathModifier { type: 'ReplaceFullPath' | 'ReplacePrefixMatch'; replaceFullPath?: string; replacePrefixMatch?: string }

export interface HTTPRouteFilter {
  type: string;
  requestHeaderModifier?: HeaderModifier;
  responseHeaderModifier?: HeaderModifier;
  requestRedirect?: { scheme?: string; hostname?: string; path?: PathModifier; port?: number; statusCode?: number };
  urlRewrite?: { hostname?: string; path?: PathModifier };
  requestMirror?: { backendRef: BackendObjectReference; percent?: number; fraction?: { numerator: number; denominator?: number } };
  extensionRef?: { group: string; kind: string; name: string };
  cors?: CORSPolicy;
}

export interface CORSPolicy {
  allowOrigins?: string[];
  allowCredentials?: boolean;
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}

export interface BackendObjectReference { group?: string; kind?: string; name: string; namespace?: string; port?: number }
export interface HTTPBackendRef extends BackendObjectReference { weight?: number; filters?: HTTPRouteFilter[] }

export interface HTTPRouteMatch {
  path?: { type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; value?: string };
  headers?: Array<{ type?: 'Exact' | 'RegularExpression'; name: string; value: string }>;
  queryParams?: Array<{ type?: 'Exact' | 'RegularExpression'; name: string; value: string }>;
  method?: string;
}

export interface HTTPRouteRule {
  name?: string;
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: HTTPBackendRef[];
  /** Gateway API durations (`10s`, `1m30s`, `500ms`; `0s` none). */
  timeouts?: { request?: string; backendRequest?: string };
}

export interface RouteParentStatus { parentRef: ParentReference; controllerName: string; conditions: Condition[] }

export type HTTPRoute = GatewayObject<{ parentRefs?: ParentReference[]; hostnames?: string[]; rules?: HTTPRouteRule[] }, {
  parents?: RouteParentStatus[];
}>;

/** TCPRoute and TLSRoute (v1): one rule of backendRefs; a TLSRoute also names the hostnames (SNI) it takes. */
export type L4Route = GatewayObject<{
  parentRefs?: ParentReference[]; hostnames?: string[]; rules?: Array<{ name?: string; backendRefs?: HTTPBackendRef[] }>;
}, {
  parents?: RouteParentStatus[];
}>;

export interface GRPCRouteMatch {
  method?: { type?: 'Exact' | 'RegularExpression'; service?: string; method?: string };
  headers?: Array<{ type?: 'Exact' | 'RegularExpression'; name: string; value: string }>;
}

export interface GRPCRouteRule { name?: string; matches?: GRPCRouteMatch[]; filters?: HTTPRouteFilter[]; backendRefs?: HTTPBackendRef[] }

export type GRPCRoute = GatewayObject<{ parentRefs?: ParentReference[]; hostnames?: string[]; rules?: GRPCRouteRule[] }, {
  parents?: RouteParentStatus[];
}>;

/** The route kinds the built-in gateway serves, and the listener protocols each attaches to. */
export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TCPRoute' | 'TLSRoute';
export const KINDS_OF_PROTOCOL: Readonly<Record<string, readonly RouteKind[]>> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'], HTTPS: ['HTTPRoute', 'GRPCRoute'], TCP: ['TCPRoute'], TLS: ['TLSRoute'],
};

export type ReferenceGrant = GatewayObject<{
  from: Array<{ group: string; kind: string; namespace: string }>;
  to: Array<{ group: string; kind: string; name?: string }>;
}, never>;

export interface SubjectAltName { type: 'Hostname' | 'URI'; hostname?: string; uri?: string }

/** BackendTLSPolicy (v1): how the gateway speaks TLS to a Service's pods (the SNI it sends, the CAs and names it checks). */
export type BackendTLSPolicy = GatewayObject<{
  targetRefs: Array<{ group: string; kind: string; name: string; sectionName?: string }>;
  validation: {
    caCertificateRefs?: Array<{ group: string; kind: string; name: string }>;
    wellKnownCACertificates?: string;
    hostname: string;
    subjectAltNames?: SubjectAltName[];
  };
  options?: Record<string, string>;
}, {
  ancestors?: PolicyAncestorStatus[];
}>;

export interface PolicyAncestorStatus { ancestorRef: ParentReference; controllerName: string; conditions: Condition[] }
