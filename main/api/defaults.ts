// Server-side defaults per kind, as the apiserver applies them on create and update
// (pkg/apis/*/v1/defaults.go plus the registry/admission defaults kubectl users see).
// Mutates the object. Never touches uid, resourceVersion or creationTimestamp.
import { defaultCustomResourceDefinition } from './crd';
import type { KObject } from './types';
import { perKind } from './resources';
import { asArray, asObj, child, defaultPodAdmission, defaultPodSpec, setDefault } from './defaults-pod';
import { defaultFlowSchema, defaultPriorityLevelConfiguration } from './defaults-flowcontrol';
import type { DefaultTolerationSeconds } from './defaults-pod';
import { defaultCSIDriver, defaultPodTemplate } from './defaults-node-kinds';
import { defaultPersistentVolume, defaultPersistentVolumeClaim, defaultStorageClass } from './defaults-storage';
import { horizontalPodAutoscaler } from './defaults-hpa';
import { defaultCronJob, defaultJob } from './defaults-batch';
import { defaultLimitRange } from './defaults-limitrange';
import { networkPolicy } from './defaults-netpol';
import { defaultIngressClass } from './defaults-ingress';
import { defaultReplicationController } from './defaults-replicationcontroller';
import { defaultMutatingWebhookConfiguration, defaultValidatingWebhookConfiguration } from './defaults-webhook';
import { defaultValidatingAdmissionPolicy, defaultValidatingAdmissionPolicyBinding } from './defaults-admission-policy';

type Obj = Record<string, unknown>;

function template(spec: Obj): void {
  const tpl = child(spec, 'template');
  defaultPodSpec(child(tpl, 'spec'));
}

/** What a cluster sets of the defaults: the DefaultTolerationSeconds admission's seconds. */
export interface DefaultingOptions {
  tolerationSeconds?: DefaultTolerationSeconds;
}

function pod(o: KObject, opts: DefaultingOptions = {}): void {
  const spec = child(o, 'spec');
  defaultPodSpec(spec);
  defaultPodAdmission(spec, opts.tolerationSeconds);
}

function deployment(o: KObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  template(spec);
}

function replicaSet(o: KObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'replicas', 1);
  template(spec);
}

function daemonSet(o: KObject): void {
  const spec = child(o, 'spec');
  const strategy = child(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    if (ru.maxSurge === undefined || ru.maxSurge === null) ru.maxSurge = 0;
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  template(spec);
}

/** SetDefaults_StatefulSet (StatefulSetAutoDeletePVC on, MaxUnavailableStatefulSet off: maxUnavailable is not defaulted). */
function statefulSet(o: KObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = child(spec, 'updateStrategy');
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    child(strategy, 'rollingUpdate');
  }
  const ru = asObj(strategy.rollingUpdate);
  if (strategy.type === 'RollingUpdate' && ru) setDefault(ru, 'partition', 0);
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  for (const c of asArray(spec.volumeClaimTemplates)) {
    const claim = asObj(c);
    if (!claim) continue;
    setDefault(child(claim, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(child(claim, 'status'), 'phase', 'Pending');
  }
  template(spec);
}

function service(o: KObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = child(child(spec, 'sessionAffinityConfig'), 'clientIP');
    setDefault(cfg, 'timeoutSeconds', 10800);
  }
  for (const p of asArray(spec.ports)) {
    const port = asObj(p);
    if (!port) continue;
    setDefault(port, 'protocol', 'TCP');
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  const type = spec.type;
  if (type !== 'ExternalName') {
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  }
  if (type === 'NodePort' || type === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
}

function namespace(o: KObject): void {
  // Kubernetes' SetDefaults_Namespace and the strategy's Canonicalize: every namespace carries its name as a label,
  // always equal to the name (so namespaceSelectors can pick one namespace by name).
  const name = o.metadata?.name;
  if (name) child(child(o, 'metadata'), 'labels')['kubernetes.io/metadata.name'] = name;
  // (The `kubernetes` finalizer is the strategy's PrepareForCreate: on create only, so it can be removed.)
  setDefault(child(o, 'status'), 'phase', 'Active');
}

function node(o: KObject): void {
  const status = asObj(o.status);
  if (status && asObj(status.capacity) && !asObj(status.allocatable)) status.allocatable = { ...asObj(status.capacity) };
}

function endpoints(o: KObject): void {
  for (const s of asArray(o.subsets)) {
    for (const p of asArray(asObj(s)?.ports)) {
      const port = asObj(p);
      if (port) setDefault(port, 'protocol', 'TCP');
    }
  }
}

function endpointSlice(o: KObject): void {
  for (const p of asArray(o.ports)) {
    const port = asObj(p);
    if (port) setDefault(port, 'protocol', 'TCP');
  }
}

function machine(o: KObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'provider', 'sandbox');
  setDefault(spec, 'cpus', 2);
  setDefault(spec, 'memoryMiB', 2048);
  setDefault(spec, 'diskGiB', 20);
  if (spec.running === undefined || spec.running === null) spec.running = true;
}

/** RBAC bindings: roleRef.apiGroup and User/Group subjects' apiGroup default to rbac.authorization.k8s.io. */
function roleBinding(o: KObject): void {
  const rbac = 'rbac.authorization.k8s.io';
  setDefault(child(o, 'roleRef'), 'apiGroup', rbac);
  for (const s of asArray(o.subjects)) {
    const subject = asObj(s);
    if (subject && (subject.kind === 'User' || subject.kind === 'Group')) setDefault(subject, 'apiGroup', rbac);
  }
}

const BY_KIND = perKind<(o: KObject, opts: DefaultingOptions) => void>({
  CustomResourceDefinition: defaultCustomResourceDefinition,
  Pod: pod,
  Deployment: deployment,
  ReplicaSet: replicaSet,
  ReplicationController: defaultReplicationController,
  DaemonSet: daemonSet,
  Job: defaultJob,
  CronJob: defaultCronJob,
  StatefulSet: statefulSet,
  Service: service,
  Secret: (o) => setDefault(o, 'type', 'Opaque'),
  Namespace: namespace,
  Node: node,
  Endpoints: endpoints,
  EndpointSlice: endpointSlice,
  Machine: machine,
  RoleBinding: roleBinding,
  ClusterRoleBinding: roleBinding,
  PersistentVolume: defaultPersistentVolume,
  PersistentVolumeClaim: defaultPersistentVolumeClaim,
  StorageClass: defaultStorageClass,
  HorizontalPodAutoscaler: horizontalPodAutoscaler,
  PriorityClass: (o) => setDefault(o, 'preemptionPolicy', 'PreemptLowerPriority'),
  LimitRange: defaultLimitRange,
  NetworkPolicy: networkPolicy,
  IngressClass: defaultIngressClass,
  PodTemplate: defaultPodTemplate,
  CSIDriver: defaultCSIDriver,
  MutatingWebhookConfiguration: defaultMutatingWebhookConfiguration,
  ValidatingWebhookConfiguration: defaultValidatingWebhookConfiguration,
  ValidatingAdmissionPolicy: defaultValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding: defaultValidatingAdmissionPolicyBinding,
  FlowSchema: defaultFlowSchema,
  PriorityLevelConfiguration: defaultPriorityLevelConfiguration,
  // kube-aggregator's SetDefaults_ServiceReference.
  APIService: (o) => {
    const service = (o.spec as { service?: Record<string, unknown> | null } | undefined)?.service;
    if (service && typeof service === 'object') setDefault(service, 'port', 443);
  },
});

/** Apply the defaults of `kind` to `obj` in place. Unknown kinds are left alone. */
export function applyDefaults(kind: string, obj: KObject, opts: DefaultingOptions = {}): void {
  BY_KIND(kind)?.(obj, opts);
}

export { defaultPodSpec, defaultPullPolicy } from './defaults-pod';
export type { DefaultTolerationSeconds } from './defaults-pod';
