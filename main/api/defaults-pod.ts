// Pod spec defaults (pkg/apis/core/v1/defaults.go: SetDefaults_PodSpec, _Container, _Probe, …),
// shared by Pods and by the pod templates of workloads.
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from './tolerations';
type Obj = Record<string, unknown>;

export function asObj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
/** Set `o[k] = v` when the field is absent (undefined, null or "" — Go's zero value). */
export function setDefault(o: Obj, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null || o[k] === '') o[k] = v;
}
/** The object at `o[k]`, created when absent. */
export function child(o: Obj, k: string): Obj {
  const c = asObj(o[k]);
  if (c) return c;
  const n: Obj = {};
  o[k] = n;
  return n;
}

/** Always for `:latest` or untagged images (digest references excepted), else IfNotPresent. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? image.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** SetDefaults_HTTPGetAction, for probes and lifecycle hooks alike. */
function defaultHttpGet(handler: Obj | undefined): void {
  const http = asObj(handler?.httpGet);
  if (!http) return;
  setDefault(http, 'path', '/');
  setDefault(http, 'scheme', 'HTTP');
}

function defaultProbe(p: unknown): void {
  const probe = asObj(p);
  if (!probe) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  defaultHttpGet(probe);
  // GRPCAction.service is `+default=""` (a pointer with no omitempty: left nil it would be written as null).
  const grpc = asObj(probe.grpc);
  if (grpc && (grpc.service === undefined || grpc.service === null)) grpc.service = '';
}

function defaultEnv(env: unknown): void {
  for (const e of asArray(env)) {
    const ref = asObj(asObj(asObj(e)?.valueFrom)?.fieldRef);
    if (ref) setDefault(ref, 'apiVersion', 'v1');
  }
}

function defaultContainer(c: Obj, hostNetwork: boolean): void {
  if (typeof c.image === 'string') setDefault(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  for (const p of asArray(c.ports)) {
    const port = asObj(p);
    if (!port) continue;
    setDefault(port, 'protocol', 'TCP');
    // defaultHostNetworkPorts: with host networking the host port is the container port.
    if (hostNetwork && (port.hostPort === undefined || port.hostPort === 0)) port.hostPort = port.containerPort;
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHttpGet(asObj(asObj(c.lifecycle)?.postStart));
  defaultHttpGet(asObj(asObj(c.lifecycle)?.preStop));
  defaultEnv(c.env);
  // ResourceRequirements is a struct in Go, never omitted: a container without resources reads `resources: {}` (and a
  // template kubectl writes back, which carries it, hashes as the one stored).
  if (!asObj(c.resources)) c.resources = {};
  // SetDefaults_Pod: requests default to limits for every resource with a limit but no request.
  const res = asObj(c.resources);
  const limits = asObj(res?.limits);
  if (res && limits && Object.keys(limits).length > 0) {
    const requests = child(res, 'requests');
    for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
  }
}

function defaultVolume(v: Obj): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  for (const k of ['configMap', 'secret', 'projected', 'downwardAPI']) {
    const src = asObj(v[k]);
    if (src) setDefault(src, 'defaultMode', 420);
  }
}

/** Defaults of a PodSpec (as found in a Pod or a pod template). */
export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'enableServiceLinks', true);
  if (!asObj(spec.securityContext)) spec.securityContext = {};
  const hostNetwork = spec.hostNetwork === true;
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of asArray(spec[list])) {
      const ctr = asObj(c);
      if (ctr) defaultContainer(ctr, hostNetwork);
    }
  }
  for (const v of asArray(spec.volumes)) {
    const vol = asObj(v);
    if (vol) defaultVolume(vol);
  }
}

/** kube-apiserver's --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds (300 each). */
export interface DefaultTolerationSeconds {
  notReady?: number;
  unreachable?: number;
}

export const DEFAULT_TOLERATION_SECONDS = 300;

/**
 * What admission adds to a Pod on create: priority 0 (Priority plugin), the service account
 * (ServiceAccount plugin) and 300 s NoExecute tolerations for not-ready/unreachable nodes
 * (DefaultTolerationSeconds plugin; its seconds per cluster, 300 each by default).
 */
export function defaultPodAdmission(spec: Obj, seconds: DefaultTolerationSeconds = {}): void {
  // A named class's priority is the Priority admission plugin's to set (registry/admission/priority.ts).
  if (!spec.priorityClassName) setDefault(spec, 'priority', 0);
  // v1's deprecated serviceAccount names the account when serviceAccountName does not, and mirrors it
  // after; the ServiceAccount admission plugin defaults the name to "default".
  setDefault(spec, 'serviceAccountName', spec.serviceAccount);
  setDefault(spec, 'serviceAccountName', 'default');
  spec.serviceAccount = spec.serviceAccountName;
  const tolerations = asArray(spec.tolerations).slice();
  const tolerates = (key: string): boolean => tolerations.some((t) => {
    const o = asObj(t);
    if (!o) return false;
    const effectOk = o.effect === undefined || o.effect === '' || o.effect === 'NoExecute';
    const keyOk = o.key === key || ((o.key === undefined || o.key === '') && o.operator === 'Exists');
    return effectOk && keyOk;
  });
  for (const [key, secs] of [[TAINT_NODE_NOT_READY, seconds.notReady], [TAINT_NODE_UNREACHABLE, seconds.unreachable]] as const) {
    if (!tolerates(key)) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: secs ?? DEFAULT_TOLERATION_SECONDS });
  }
  spec.tolerations = tolerations;
}
