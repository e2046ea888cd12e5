// The wire types of the API, shared by the control plane, the agent, the bridge and the renderer.
// Built-in kinds come from `kubernetes-types` (type-only); our own kinds are written in the same style.
// This module imports types only: it has no runtime dependencies.
import type { ObjectMeta as K8sObjectMeta, ListMeta, Status, StatusCause, OwnerReference, LabelSelector } from 'kubernetes-types/meta/v1';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** ObjectMeta without kubernetes-types' readonly marks: the server sets uid, resourceVersion and friends. */
export type ObjectMeta = Mutable<K8sObjectMeta>;

export type { ListMeta, Status, StatusCause, OwnerReference, LabelSelector };
export type {
  Pod, PodSpec, PodStatus, Container, ContainerStatus, ContainerPort, PodCondition, PodTemplateSpec,
  Node, NodeSpec, NodeStatus, NodeCondition, NodeAddress, Taint, Toleration,
  Service, ServiceSpec, ServicePort, Endpoints, EndpointSubset, EndpointAddress, EndpointPort,
  Namespace, Event, ConfigMap, Secret, Binding, ObjectReference, EnvVar, Probe, ResourceRequirements,
  Affinity, NodeAffinity, NodeSelector, NodeSelectorTerm, NodeSelectorRequirement, PreferredSchedulingTerm,
  PodAffinity, PodAntiAffinity, PodAffinityTerm, WeightedPodAffinityTerm, TopologySpreadConstraint,
  ServiceAccount, Volume, VolumeMount,
} from 'kubernetes-types/core/v1';
export type { Role, ClusterRole, RoleBinding, ClusterRoleBinding, PolicyRule, Subject, RoleRef, AggregationRule } from 'kubernetes-types/rbac/v1';
export type { TokenRequest, TokenRequestSpec, SelfSubjectReview, TokenReview, UserInfo } from 'kubernetes-types/authentication/v1';
export type {
  SubjectAccessReview, SelfSubjectAccessReview, LocalSubjectAccessReview, SelfSubjectRulesReview,
  ResourceAttributes, NonResourceAttributes, ResourceRule, NonResourceRule,
} from 'kubernetes-types/authorization/v1';
export type { Deployment, DeploymentSpec, DeploymentStatus, DeploymentCondition, ReplicaSet, ReplicaSetSpec, ReplicaSetStatus, DaemonSet, DaemonSetSpec, DaemonSetStatus } from 'kubernetes-types/apps/v1';
export type {
  Job, JobSpec, JobStatus, JobCondition, JobTemplateSpec, CronJob, CronJobSpec, CronJobStatus, PodFailurePolicy, PodFailurePolicyRule, UncountedTerminatedPods,
} from 'kubernetes-types/batch/v1';
export type { StatefulSet, StatefulSetSpec, StatefulSetStatus, StatefulSetCondition, ControllerRevision } from 'kubernetes-types/apps/v1';
export type { EndpointSlice, Endpoint as SliceEndpoint, EndpointPort as SliceEndpointPort } from 'kubernetes-types/discovery/v1';
export type { Lease } from 'kubernetes-types/coordination/v1';
export type { Eviction, PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1';
export type { Scale } from 'kubernetes-types/autoscaling/v1';
export type {
  NetworkPolicy, NetworkPolicySpec, NetworkPolicyIngressRule, NetworkPolicyEgressRule, NetworkPolicyPeer, NetworkPolicyPort, IPBlock,
} from 'kubernetes-types/networking/v1';
export type {
  PersistentVolume, PersistentVolumeSpec, PersistentVolumeStatus, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeClaimStatus,
  PersistentVolumeClaimCondition, VolumeNodeAffinity,
} from 'kubernetes-types/core/v1';
export type { StorageClass } from 'kubernetes-types/storage/v1';
export type { PriorityClass } from 'kubernetes-types/scheduling/v1';
export type { Ingress, IngressSpec, IngressRule, IngressBackend, IngressTLS, HTTPIngressPath, IngressClass } from 'kubernetes-types/networking/v1';
export type { LimitRange, LimitRangeItem, ResourceQuota } from 'kubernetes-types/core/v1';
export type { CertificateSigningRequest, CertificateSigningRequestCondition } from 'kubernetes-types/certificates/v1';
export type { PodTemplate, ComponentStatus, ComponentCondition } from 'kubernetes-types/core/v1';
export type { ReplicationController, ReplicationControllerSpec, ReplicationControllerStatus } from 'kubernetes-types/core/v1';
export type { RuntimeClass } from 'kubernetes-types/node/v1';
export type { CSIDriver, CSINode, CSIStorageCapacity, VolumeAttachment } from 'kubernetes-types/storage/v1';
export type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-types/admissionregistration/v1';
export type { FlowSchema, PriorityLevelConfiguration } from 'kubernetes-types/flowcontrol/v1';
export type {
  MatchCondition, MutatingWebhook, MutatingWebhookConfiguration, RuleWithOperations, ValidatingWebhook, ValidatingWebhookConfiguration, WebhookClientConfig,
} from 'kubernetes-types/admissionregistration/v1';
export type {
  CustomResourceDefinition, CustomResourceDefinitionCondition, CustomResourceDefinitionSpec, CustomResourceDefinitionVersion, JSONSchemaProps,
  WebhookConversion,
} from 'kubernetes-types/apiextensions/v1';
export type {
  HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, HorizontalPodAutoscalerStatus, HorizontalPodAutoscalerBehavior, HorizontalPodAutoscalerCondition,
  HPAScalingRules, HPAScalingPolicy, MetricSpec, MetricStatus,
} from 'kubernetes-types/autoscaling/v2';

/** Any API object as it travels on the wire: apiVersion, kind, metadata, and whatever else its kind has. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** The part every API object has; typed kinds (Pod, ConfigMap, …) all satisfy it. */
export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** An object that has been stored: it always has a name and a resourceVersion. */
export interface StoredObject extends KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string; resourceVersion: string; uid: string; creationTimestamp: string };
}

export interface KList<T extends ApiObject = KObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T extends ApiObject = KObject> {
  type: WatchEventType;
  object: T;
}

// ---- flotilla.dev/v1alpha1 ----

export type MachineProvider = 'sandbox' | 'lima' | 'multipass' | 'qemu';
export type MachinePhase = 'Pending' | 'Provisioning' | 'Bootstrapping' | 'Running' | 'Stopped' | 'Failed' | 'Deleting';

export interface MachineSpec {
  provider: MachineProvider;
  cpus?: number;
  memoryMiB?: number;
  diskGiB?: number;
  /** Desired power state; `node stop` sets false, `node start` true. Defaults to true. */
  running?: boolean;
}

export interface MachineCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface MachineProgress {
  step: number;
  total: number;
  message: string;
}

/** A failed provisioning attempt (transient failures are retried with backoff up to a limit). */
export interface MachineAttempt {
  /** 1-based. */
  attempt: number;
  /** When it failed (RFC 3339). */
  time: string;
  /** The step that failed and why, as in status.message. */
  message: string;
}

export interface MachineStatus {
  phase?: MachinePhase;
  message?: string;
  nodeName?: string;
  addresses?: Array<{ type: 'InternalIP' | 'Hostname' | 'SSH'; address: string }>;
  progress?: MachineProgress;
  conditions?: MachineCondition[];
  /** The failed attempts of the latest provisioning, oldest first. */
  attempts?: MachineAttempt[];
}

export interface Machine {
  apiVersion?: 'flotilla.dev/v1alpha1';
  kind?: 'Machine';
  metadata?: ObjectMeta;
  spec?: MachineSpec;
  status?: MachineStatus;
}

// ---- apiregistration.k8s.io/v1 (kube-aggregator's types) ----

/** Where an aggregated API server is reached: a Service (port 443 by default). */
export interface APIServiceServiceReference {
  namespace?: string;
  name?: string;
  port?: number;
}

export interface APIServiceSpec {
  /** Nil for an API served by this server itself ("Local"). */
  service?: APIServiceServiceReference | null;
  group?: string;
  version?: string;
  insecureSkipTLSVerify?: boolean;
  /** PEM CA bundle, base64 on the wire. */
  caBundle?: string;
  groupPriorityMinimum: number;
  versionPriority: number;
}

export interface APIServiceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface APIServiceStatus {
  conditions?: APIServiceCondition[];
}

export interface APIService {
  apiVersion?: 'apiregistration.k8s.io/v1';
  kind?: 'APIService';
  metadata?: ObjectMeta;
  spec: APIServiceSpec;
  status?: APIServiceStatus;
}

// ---- metrics.k8s.io/v1beta1 ----

export interface NodeMetrics {
  apiVersion?: 'metrics.k8s.io/v1beta1';
  kind?: 'NodeMetrics';
  metadata: ObjectMeta;
  timestamp: string;
  window: string;
  usage: { cpu: string; memory: string };
}

export interface PodMetrics {
  apiVersion?: 'metrics.k8s.io/v1beta1';
  kind?: 'PodMetrics';
  metadata: ObjectMeta;
  timestamp: string;
  window: string;
  containers: Array<{ name: string; usage: { cpu: string; memory: string } }>;
}
