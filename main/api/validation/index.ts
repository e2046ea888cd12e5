// Validation entry points: metadata plus one validator per kind, on create and on update.
import type { KObject } from '../types';
import type { Cause } from './cause';
import type { NameFn } from './meta';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validatePod, validatePodCreate, validatePodEphemeralContainersUpdate, validatePodUpdate } from './pod';
import { validateService, validateServiceUpdate } from './service';
import { validateDeployment, validateDeploymentUpdate } from './deployment';
import { validateReplicaSet, validateReplicaSetUpdate } from './replicaset';
import { validateDaemonSet, validateDaemonSetUpdate } from './daemonset';
import { validateNode, validateNodeUpdate } from './node';
import { validateConfigMap, validateConfigMapUpdate } from './configmap';
import { validateSecret, validateSecretUpdate } from './secret';
import { validateNamespace } from './namespace';
import { validateEvent } from './event';
import { validateLease } from './lease';
import { validateEndpoints } from './endpoints';
import { validateEndpointSlice } from './endpointslice';
import { validateMachine, validateMachineUpdate } from './machine';

export type { Cause, CauseReason } from './cause';
export { invalidMessage, causeString } from './message';

interface KindRules {
  namespaced: boolean;
  name: NameFn;
  create: (obj: KObject) => Cause[];
  update?: (obj: KObject, old: KObject) => Cause[];
  /** Rules only a create checks (fields that can never be set on create). */
  createOnly?: (obj: KObject) => Cause[];
  /** Update rules of subresources that replace `update` for their writes. */
  subresourceUpdate?: Record<string, (obj: KObject, old: KObject) => Cause[]>;
}

const RULES: Record<string, KindRules> = {
  Pod: {
    namespaced: true, name: nameIsDNSSubdomain, create: validatePod, update: validatePodUpdate, createOnly: validatePodCreate,
    subresourceUpdate: { ephemeralcontainers: validatePodEphemeralContainersUpdate },
  },
  Service: { namespaced: true, name: nameIsDNS1035Label, create: validateService, update: validateServiceUpdate },
  Deployment: { namespaced: true, name: nameIsDNSSubdomain, create: validateDeployment, update: validateDeploymentUpdate },
  ReplicaSet: { namespaced: true, name: nameIsDNSSubdomain, create: validateReplicaSet, update: validateReplicaSetUpdate },
  DaemonSet: { namespaced: true, name: nameIsDNSSubdomain, create: validateDaemonSet, update: validateDaemonSetUpdate },
  Node: { namespaced: false, name: nameIsDNSSubdomain, create: validateNode, update: validateNodeUpdate },
  ConfigMap: { namespaced: true, name: nameIsDNSSubdomain, create: validateConfigMap, update: validateConfigMapUpdate },
  Secret: { namespaced: true, name: nameIsDNSSubdomain, create: validateSecret, update: validateSecretUpdate },
  Namespace: { namespaced: false, name: nameIsDNSLabel, create: validateNamespace },
  Event: { namespaced: true, name: nameIsDNSSubdomain, create: validateEvent },
  Lease: { namespaced: true, name: nameIsDNSSubdomain, create: validateLease },
  Endpoints: { namespaced: true, name: nameIsDNSSubdomain, create: validateEndpoints },
  EndpointSlice: { namespaced: true, name: nameIsDNSSubdomain, create: validateEndpointSlice },
  // A Machine's name becomes its node's name and hostname: a DNS-1123 label.
  Machine: { namespaced: false, name: nameIsDNSLabel, create: validateMachine, update: validateMachineUpdate },
};

/** Validate an object of `kind` (after defaulting): metadata, then the kind's own rules. */
export function validateObject(kind: string, obj: KObject): Cause[] {
  const rules = RULES[kind];
  if (!rules) return validateObjectMeta(obj.metadata, { namespaced: Boolean(obj.metadata?.namespace), nameFn: nameIsDNSSubdomain });
  return [...validateObjectMeta(obj.metadata, { namespaced: rules.namespaced, nameFn: rules.name }), ...rules.create(obj)];
}

/** What a create checks: validateObject plus the rules only a create has. */
export function validateCreate(kind: string, obj: KObject): Cause[] {
  const createOnly = RULES[kind]?.createOnly;
  return createOnly ? [...validateObject(kind, obj), ...createOnly(obj)] : validateObject(kind, obj);
}

/**
 * The checks specific to an update of `old` into `obj` (immutable fields and allowed transitions), through
 * `subresource` if it has rules of its own. Does not repeat validateObject: callers run both and concatenate.
 */
export function validateUpdate(kind: string, obj: KObject, old: KObject, subresource?: string): Cause[] {
  const meta = validateObjectMetaUpdate(obj.metadata, old.metadata);
  const rules = RULES[kind];
  const update = (subresource && rules?.subresourceUpdate?.[subresource]) || rules?.update;
  return update ? [...meta, ...update(obj, old)] : meta;
}

export { validateLabelSelector } from './selector';
export { validatePodSpec, validatePodTemplate } from './podspec';
