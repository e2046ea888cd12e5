// Validation entry points: metadata plus one validator per kind, on create and on update.
import type { KObject } from '../types';
import { perKind, storedResourceOfKind } from '../resources';
import type { Cause } from './cause';
import type { NameFn } from './meta';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validatePod, validatePodCreate, validatePodEphemeralContainersUpdate, validatePodUpdate } from './pod';
import { validateService, validateServiceUpdate } from './service';
import { validateDeployment, validateDeploymentUpdate } from './deployment';
import { validateReplicaSet, validateReplicaSetUpdate } from './replicaset';
import { validateReplicationController } from './replicationcontroller';
import { validateDaemonSet, validateDaemonSetUpdate } from './daemonset';
import { validateStatefulSet, validateStatefulSetUpdate } from './statefulset';
import { validateControllerRevision, validateControllerRevisionUpdate } from './controllerrevision';
import { validateNode, validateNodeUpdate } from './node';
import { validateConfigMap, validateConfigMapUpdate } from './configmap';
import { validateSecret, validateSecretUpdate } from './secret';
import { validateNamespace, validateNamespaceStatus } from './namespace';
import { validateEvent } from './event';
import { validateLease } from './lease';
import { validateEndpoints } from './endpoints';
import { validateEndpointSlice } from './endpointslice';
import { validateMachine, validateMachineUpdate } from './machine';
import { nameIsPathSegment, validateBindingUpdate, validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from './rbac';
import { validateServiceAccount } from './serviceaccount';
import { validatePersistentVolume, validatePersistentVolumeUpdate } from './persistentvolume';
import { validatePersistentVolumeClaim, validatePersistentVolumeClaimUpdate } from './persistentvolumeclaim';
import { validateStorageClass, validateStorageClassUpdate } from './storageclass';
import { validatePodDisruptionBudget } from './poddisruptionbudget';
import { validateNetworkPolicy } from './networkpolicy';
import { validateHorizontalPodAutoscaler } from './horizontalpodautoscaler';
import { validatePriorityClass, validatePriorityClassUpdate } from './priorityclass';
import { validateJob, validateJobUpdate } from './job';
import { validateJobStatusUpdate } from './job-status';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from './customresourcedefinition';
import { validateCronJob, validateCronJobCreate, validateCronJobUpdate } from './cronjob';
import { validateIngress, validateIngressClass, validateIngressClassUpdate, validateIngressCreate, validateIngressStatus } from './ingress';
import * as csr from './certificatesigningrequest';
import * as webhooks from './webhookconfiguration';
import { validateResourceQuota } from './resourcequota';
import { validateLimitRange } from './limitrange';
import { validatePodTemplateObject, validateRuntimeClass, validateRuntimeClassUpdate } from './runtimeclass';
import { validateValidatingAdmissionPolicy, validateValidatingAdmissionPolicyBinding } from './admission-policy';
import { validateAPIService, validateAPIServiceStatus } from './apiservice';
import { validateFlowControlStatus, validateFlowSchema, validatePriorityLevelConfiguration } from './flowcontrol';
import * as csiStorage from './csi-storage';

export type { Cause, CauseReason } from './cause';
export { invalidMessage, causeString } from './message';

interface KindRules {
  name: NameFn;
  create: (obj: KObject) => Cause[];
  update?: (obj: KObject, old: KObject) => Cause[];
  /** Rules only a create checks (fields that can never be set on create). */
  createOnly?: (obj: KObject) => Cause[];
  /** Update rules of subresources that replace `update` for their writes. */
  subresourceUpdate?: Record<string, (obj: KObject, old: KObject) => Cause[]>;
  /** What a write through the status subresource checks beyond metadata (its status strategy's ValidateUpdate). */
  status?: (obj: KObject, old: KObject) => Cause[];
}

/** Each kind's rules; whether its objects are namespaced comes from the resource table. */
const RULES = perKind<KindRules>({
  Pod: { name: nameIsDNSSubdomain, create: validatePod, update: validatePodUpdate, createOnly: validatePodCreate,
    subresourceUpdate: { ephemeralcontainers: validatePodEphemeralContainersUpdate },
  },
  Service: { name: nameIsDNS1035Label, create: validateService, update: validateServiceUpdate },
  Deployment: { name: nameIsDNSSubdomain, create: validateDeployment, update: validateDeploymentUpdate },
  ReplicaSet: { name: nameIsDNSSubdomain, create: validateReplicaSet, update: validateReplicaSetUpdate },
  ReplicationController: { name: nameIsDNSSubdomain, create: validateReplicationController },
  DaemonSet: { name: nameIsDNSSubdomain, create: validateDaemonSet, update: validateDaemonSetUpdate },
  Job: { name: nameIsDNSSubdomain, create: validateJob, update: validateJobUpdate, status: validateJobStatusUpdate },
  CronJob: { name: nameIsDNSSubdomain, create: validateCronJob, update: validateCronJobUpdate, createOnly: validateCronJobCreate },
  StatefulSet: { name: nameIsDNSLabel, create: validateStatefulSet, update: validateStatefulSetUpdate },
  ControllerRevision: { name: nameIsDNSSubdomain, create: validateControllerRevision, update: validateControllerRevisionUpdate },
  Node: { name: nameIsDNSSubdomain, create: validateNode, update: validateNodeUpdate },
  ConfigMap: { name: nameIsDNSSubdomain, create: validateConfigMap, update: validateConfigMapUpdate },
  Secret: { name: nameIsDNSSubdomain, create: validateSecret, update: validateSecretUpdate },
  Namespace: { name: nameIsDNSLabel, create: validateNamespace, status: validateNamespaceStatus },
  Event: { name: nameIsDNSSubdomain, create: validateEvent },
  Lease: { name: nameIsDNSSubdomain, create: validateLease },
  Endpoints: { name: nameIsDNSSubdomain, create: validateEndpoints },
  EndpointSlice: { name: nameIsDNSSubdomain, create: validateEndpointSlice },
  ServiceAccount: { name: nameIsDNSSubdomain, create: validateServiceAccount },
  Role: { name: nameIsPathSegment, create: validateRole },
  ClusterRole: { name: nameIsPathSegment, create: validateClusterRole },
  RoleBinding: { name: nameIsPathSegment, create: validateRoleBinding, update: validateBindingUpdate },
  ClusterRoleBinding: { name: nameIsPathSegment, create: validateClusterRoleBinding, update: validateBindingUpdate },
  // A Machine's name becomes its node's name and hostname: a DNS-1123 label.
  Machine: { name: nameIsDNSLabel, create: validateMachine, update: validateMachineUpdate },
  // A status write checks only metadata (ValidatePersistentVolumeStatusUpdate, ValidatePersistentVolumeClaimStatusUpdate).
  PersistentVolume: {
    name: nameIsDNSSubdomain, create: validatePersistentVolume, update: validatePersistentVolumeUpdate, subresourceUpdate: { status: () => [] },
  },
  PersistentVolumeClaim: {
    name: nameIsDNSSubdomain, create: validatePersistentVolumeClaim, update: validatePersistentVolumeClaimUpdate, subresourceUpdate: { status: () => [] },
  },
  StorageClass: { name: nameIsDNSSubdomain, create: validateStorageClass, update: validateStorageClassUpdate },
  PodDisruptionBudget: { name: nameIsDNSSubdomain, create: validatePodDisruptionBudget },
  NetworkPolicy: { name: nameIsDNSSubdomain, create: validateNetworkPolicy },
  HorizontalPodAutoscaler: { name: nameIsDNSSubdomain, create: validateHorizontalPodAutoscaler },
  PriorityClass: { name: nameIsDNSSubdomain, create: validatePriorityClass, update: validatePriorityClassUpdate },
  CustomResourceDefinition: { name: nameIsDNSSubdomain, create: validateCustomResourceDefinition, update: validateCustomResourceDefinitionUpdate },
  Ingress: { name: nameIsDNSSubdomain, create: validateIngress, createOnly: validateIngressCreate, status: validateIngressStatus },
  IngressClass: { name: nameIsDNSSubdomain, create: validateIngressClass, update: validateIngressClassUpdate },
  RuntimeClass: { name: nameIsDNSSubdomain, create: validateRuntimeClass, update: validateRuntimeClassUpdate },
  PodTemplate: { name: nameIsDNSSubdomain, create: validatePodTemplateObject },
  ResourceQuota: { name: nameIsDNSSubdomain, create: validateResourceQuota },
  LimitRange: { name: nameIsDNSSubdomain, create: validateLimitRange },
  // An update checks the webhooks with the rules the stored object already met (ValidateXWebhookConfigurationUpdate).
  MutatingWebhookConfiguration: {
    name: nameIsDNSSubdomain, create: () => [], createOnly: webhooks.validateMutatingWebhookConfiguration,
    update: webhooks.validateMutatingWebhookConfigurationUpdate,
  },
  ValidatingWebhookConfiguration: {
    name: nameIsDNSSubdomain, create: () => [], createOnly: webhooks.validateValidatingWebhookConfiguration,
    update: webhooks.validateValidatingWebhookConfigurationUpdate,
  },
  // Any name is a CSR's name (ValidateCertificateRequestName).
  CertificateSigningRequest: {
    name: () => [], create: csr.validateCertificateSigningRequest, update: csr.validateCertificateSigningRequestUpdate,
    subresourceUpdate: { approval: csr.validateCertificateSigningRequestApprovalUpdate }, status: csr.validateCertificateSigningRequestStatusUpdate,
  },
  ValidatingAdmissionPolicy: { name: nameIsDNSSubdomain, create: validateValidatingAdmissionPolicy, status: () => [] },
  ValidatingAdmissionPolicyBinding: { name: nameIsDNSSubdomain, create: validateValidatingAdmissionPolicyBinding },
  // The name is a path segment that must be `<version>.<group>` (checked with the spec).
  APIService: { name: nameIsPathSegment, create: validateAPIService, status: validateAPIServiceStatus },
  FlowSchema: { name: nameIsDNSSubdomain, create: validateFlowSchema, status: validateFlowControlStatus },
  PriorityLevelConfiguration: { name: nameIsDNSSubdomain, create: validatePriorityLevelConfiguration, status: validateFlowControlStatus },
  VolumeAttachment: {
    name: nameIsDNSSubdomain, create: csiStorage.validateVolumeAttachment, update: csiStorage.validateVolumeAttachmentUpdate,
    status: csiStorage.validateVolumeAttachmentStatus,
  },
  CSIStorageCapacity: { name: nameIsDNSSubdomain, create: csiStorage.validateCSIStorageCapacity, update: csiStorage.validateCSIStorageCapacityUpdate },
});

/** Validate an object of `kind` (after defaulting): metadata, then the kind's own rules. */
export function validateObject(kind: string, obj: KObject): Cause[] {
  const rules = RULES(kind);
  const namespaced = storedResourceOfKind(kind)?.namespaced ?? Boolean(obj.metadata?.namespace);
  const meta = validateObjectMeta(obj.metadata, { namespaced, nameFn: rules?.name ?? nameIsDNSSubdomain });
  return rules ? [...meta, ...rules.create(obj)] : meta;
}

/** What a create checks: validateObject plus the rules only a create has. */
export function validateCreate(kind: string, obj: KObject): Cause[] {
  const createOnly = RULES(kind)?.createOnly;
  return createOnly ? [...validateObject(kind, obj), ...createOnly(obj)] : validateObject(kind, obj);
}

/**
 * The checks specific to an update of `old` into `obj` (immutable fields and allowed transitions), through
 * `subresource` if it has rules of its own. Does not repeat validateObject: callers run both and concatenate.
 */
export function validateUpdate(kind: string, obj: KObject, old: KObject, subresource?: string): Cause[] {
  const meta = validateObjectMetaUpdate(obj.metadata, old.metadata);
  const rules = RULES(kind);
  const update = (subresource && rules?.subresourceUpdate?.[subresource]) || rules?.update;
  return update ? [...meta, ...update(obj, old)] : meta;
}

/**
 * What a write through the status subresource checks: metadata and the kind's status rules. Everything
 * else is the stored object, unchanged (the registry admits only status), so its spec rules are not
 * run again — as Kubernetes' status strategies validate only metadata and status.
 */
export function validateStatusUpdate(kind: string, obj: KObject, old: KObject): Cause[] {
  const rules = RULES(kind);
  const namespaced = storedResourceOfKind(kind)?.namespaced ?? Boolean(obj.metadata?.namespace);
  const causes = [
    ...validateObjectMeta(obj.metadata, { namespaced, nameFn: rules?.name ?? nameIsDNSSubdomain }),
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
  ];
  return rules?.status ? [...causes, ...rules.status(obj, old)] : causes;
}

export { validateLabelSelector } from './selector';
export { validatePodSpec, validatePodTemplate } from './podspec';
