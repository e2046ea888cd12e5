// What differs between kinds when objects are created, updated and deleted: the hooks a kind's
// strategy (registry/strategies/) may fill in. The registry itself is generic: it never asks which
// kind it writes, only what the kind's strategy says (Kubernetes' RESTCreateStrategy,
// RESTUpdateStrategy and RESTGracefulDeleteStrategy, reduced to what this server needs).
import type { KList, KObject, StoredObject } from '../../api/types';
import type { ResourceInfo } from '../../api/resources';
import type { Requester } from '../authz/escalation';

/** What an admission hook may read: stored objects. */
export interface ObjectReader {
  tryGet(r: ResourceInfo, namespace: string | undefined, name: string): StoredObject | undefined;
  list(r: ResourceInfo, namespace: string | undefined): KList<StoredObject>;
  /** How many objects of the resource are stored (in the namespace, when it is namespaced and one is given). */
  count(r: ResourceInfo, namespace: string | undefined): number;
}

/** The create an admission hook looks at: the namespace, and the name a refusal gives (the generateName before one is made). */
export interface CreateAttributes {
  namespace: string;
  displayName: string;
  reader: ObjectReader;
}

export interface Strategy {
  /**
   * Status given on create is kept (Nodes and Namespaces: their creator reports it). Otherwise a
   * kind with a status subresource starts without one (only the status subresource writes it).
   */
  keepStatusOnCreate?: boolean;
  /**
   * metadata.generation starts at 1 and goes up by one with every change of the object's spec (all
   * but metadata and status), never with metadata or status: kinds whose controllers report the
   * generation they have seen (Deployment, ReplicaSet, DaemonSet, custom resources).
   */
  tracksGeneration?: boolean;
  /** Objects of this kind may still be created in a namespace being deleted (Events report its progress). */
  createInTerminatingNamespace?: boolean;
  /**
   * Called on every write of the main resource (create, update, patch, apply) before defaulting and
   * validation: what Kubernetes' conversion from the versioned object does to it (Secret stringData).
   */
  normalize?(obj: KObject): void;
  /**
   * Writes through a subresource of the kind's own (not status or scale): what of `next` may change,
   * applied to `current` (pods/ephemeralcontainers changes only spec.ephemeralContainers).
   */
  subresourceUpdates?: Record<string, (current: StoredObject, next: KObject) => KObject>;
  /**
   * A write of the main resource (not a subresource): puts back, from `current`, what only a
   * subresource may change (a Namespace's spec.finalizers). Status is put back for every kind with
   * a status subresource, without this hook.
   */
  prepareForUpdate?(next: KObject, current: StoredObject): void;
  /**
   * Mutating admission on create (Kubernetes' admission plugins of this kind): after defaults, before
   * validation; may read other objects, change this one, or refuse it with an ApiError.
   */
  admitCreate?(obj: KObject, a: CreateAttributes): Promise<void>;
  /**
   * Validating admission on an update of the main resource (Kubernetes' validating admission plugins of
   * this kind): after validation, before the write; may read other objects, and refuses with an ApiError.
   */
  admitUpdate?(next: KObject, old: StoredObject, reader: ObjectReader): void;
  /**
   * A write of the main resource by a user over the API (not in-process): after defaults and admission,
   * before validation, refuses (with an ApiError) what this user may not write — RBAC's escalation and
   * bind checks. `old` is the stored object on an update, undefined on a create.
   */
  checkRequester?(obj: KObject, old: StoredObject | undefined, requester: Requester): void;
  /**
   * A write through a subresource by a user over the API: after validation, refuses (with an ApiError) what this
   * user may not do there — Kubernetes' validating admission of that subresource (a CSR's approval needs `approve`
   * on its signer).
   */
  checkSubresourceRequester?(subresource: string, next: KObject, old: StoredObject, requester: Requester): void;
  /** A delete by a user over the API: refuses (with an ApiError) what this user may not delete (NodeRestriction). */
  checkDeleteRequester?(obj: StoredObject, requester: Requester): void;
  /**
   * Kubernetes' PrepareForCreate: fills in what the server generates from the object itself (a Job's
   * selector and pod-template labels from its uid), after defaults and before admission and validation.
   */
  prepareForCreate?(obj: KObject): void;
  /** Called on create after defaults and before validation; may throw an ApiError. */
  beforeCreate?(obj: KObject): void;
  /** Undo whatever beforeCreate claimed, when the write did not happen. */
  rollbackCreate?(obj: KObject): void;
  /** Called on a main-resource update before validation; may throw an ApiError. */
  beforeUpdate?(obj: KObject, old: StoredObject): void;
  /** Undo whatever beforeUpdate claimed, when the write did not happen. */
  rollbackUpdate?(obj: KObject, old: StoredObject): void;
  /**
   * Graceful deletion (Kubernetes' CheckGracefulDelete): the grace period, in seconds, a delete
   * (asking for `requested`, if anything) marks the object with, or undefined to delete it now. A
   * marked object stays until a delete with a shorter period (0: the one running it confirms).
   */
  gracefulDeletion?(obj: StoredObject, requested: number | undefined): number | undefined;
  /**
   * Finalizers the kind keeps outside metadata.finalizers (a Namespace's spec.finalizers): while any
   * is left, a delete only marks the object, and an update does not finish its deletion.
   */
  kindFinalizers?(obj: KObject): readonly string[];
  /**
   * What a delete that names no propagation policy does to the dependents (DefaultGarbageCollectionPolicy): batch/v1
   * Jobs orphan their pods, for backwards compatibility; every other kind deletes them in the background.
   */
  defaultGarbageCollectionPolicy?: 'Orphan';
  /** A delete marks the object: what the kind shows (a Namespace's phase Terminating). True if it changed `obj`. */
  markTerminating?(obj: KObject): boolean;
  /** After the object is gone from the store. */
  afterDelete?(obj: StoredObject): void;
  /** Rebuild in-memory state from an object found in the store at start. */
  restore?(obj: StoredObject): void;
}
