// The API's semantics over the store: create, read, update, patch, delete and watch of every
// resource, with defaulting, validation, optimistic concurrency, generation, managed fields,
// graceful deletion and finalizers. The HTTP handlers and the in-process client both call this.
import { admitPodSecurity } from './admission/pod-security';
import { decodedObjectsOf, type DecodedObjects } from './decoded';
import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/types';
import { StoreError } from '../../store/types';
import type { KList, KObject, ObjectMeta, StoredObject } from '../../api/types';
import type { ResourceInfo } from '../../api/resources';
import { RESOURCES, apiVersionOf, storageKey, storagePrefix } from '../../api/resources';
import { applyDefaults, type DefaultingOptions } from '../../api/defaults';
import { validateCreate, validateObject, validateStatusUpdate, validateUpdate } from '../../api/validation';
import { roundTripAsGo } from '../../api/schema/go-round-trip';
import { ApiError, errors } from '../status';
import { clone, decode, deepEqual, encode, generateName, timestamp } from './objects';
import type { DeleteOptions, ListQuery, PatchType, WriteOptions, WriteResult } from './options';
import type { StrategyLookup } from './strategies';
import { makeStrategies } from './strategies';
import { INITIAL_NAMESPACES, NAMESPACES } from './strategies/namespace';
import { PRIORITY_CLASSES, missingSystemPriorityClasses } from './strategies/priorityclass';
import { applyPatch } from './patching';
import { QuotaReservations } from './admission/resource-quota';
import { ValidatingPolicyAdmission, policyAttributes } from './admission/validating-policy';
import type { Authorizer } from '../authz/authorizer';
import { recordManagedFields } from './managed';
import { sameManagedFieldsIgnoringTime } from '../patch/managed-fields';
import { schemaCauses } from './custom-resources';
import { checkFields, decodeBody, throwIfInvalid } from './body';
import { asServed, inStorageVersion } from './custom-objects';
import { listObjects } from './list';
import { admitIntoNamespace } from './namespace-lifecycle';
import { tracedDelete, tracedWrite } from './pod-spans';
import { planDeletion } from './delete';
import { finishesDeletion, hasStatusSubresource, prepareUpdate } from './update';
import { WebhookAdmission } from '../webhooks/dispatch';
import { mutateByWebhooks, validateByWebhooks } from './admission/webhooks';

const MAX_RETRIES = 16;

export interface RegistryOptions {
  now?: () => Date;
  /**
   * Run the kinds' admission hooks (Strategy.admitCreate: the ServiceAccount plugin for pods; Strategy.admitUpdate:
   * PersistentVolumeClaimResize). On when
   * the controllers that make what they check (default ServiceAccounts) run; a bare registry admits as is.
   */
  admission?: boolean;
  /** Per-cluster defaults (the DefaultTolerationSeconds admission's seconds). */
  defaulting?: DefaultingOptions;
}

export class Registry {
  private readonly strategyOf: StrategyLookup;
  private readonly now: () => Date;
  private readonly admission: boolean;
  private readonly decoded: DecodedObjects;
  private readonly quotas = new QuotaReservations();
  /** Admission webhooks, called on every write (their service dialer is set by core.ts). */
  readonly webhooks: WebhookAdmission;
  private readonly policies: ValidatingPolicyAdmission;

  constructor(readonly store: Store, private readonly opts: RegistryOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.admission = opts.admission ?? false;
    this.strategyOf = makeStrategies();
    this.decoded = decodedObjectsOf(store);
    this.webhooks = new WebhookAdmission(store, (ns) => this.tryGet(NAMESPACES, undefined, ns)?.metadata.labels);
    this.policies = new ValidatingPolicyAdmission(store, this);
    for (const r of RESOURCES) {
      const s = this.strategyOf(r);
      if (!s.restore || r.virtual) continue;
      for (const kv of store.list(storagePrefix(r)).items) s.restore(decode(kv));
    }
  }

  /** The API server's authorizers, for the `authorizer` of ValidatingAdmissionPolicies and webhooks' matchConditions. */
  useAuthorizer(authorizer: Authorizer): void {
    this.policies.authorizer = authorizer;
    this.webhooks.authorizer = authorizer;
  }

  /** Makes the namespaces and the system PriorityClasses every cluster starts with. */
  async bootstrap(): Promise<void> {
    for (const name of INITIAL_NAMESPACES) {
      if (!this.store.get(storageKey(NAMESPACES, undefined, name))) {
        try {
          await this.create(NAMESPACES, undefined, { apiVersion: apiVersionOf(NAMESPACES), kind: NAMESPACES.kind, metadata: { name } }, {});
        } catch (e) {
          if (!(e instanceof ApiError && e.reason === 'AlreadyExists')) throw e;
        }
      }
    }
    for (const pc of missingSystemPriorityClasses((name) => !!this.tryGet(PRIORITY_CLASSES, undefined, name))) {
      await this.create(PRIORITY_CLASSES, undefined, pc, {}).catch((e: unknown) => {
        if (!(e instanceof ApiError && e.reason === 'AlreadyExists')) throw e;
      });
    }
  }

  get revision(): number {
    return this.store.revision;
  }

  // ---- reads ----

  get(r: ResourceInfo, namespace: string | undefined, name: string): StoredObject {
    const kv = this.store.get(storageKey(r, namespace, name));
    if (!kv) throw errors.notFound(r.group, r.plural, name);
    return asServed(r, this.decoded.copy(kv));
  }

  tryGet(r: ResourceInfo, namespace: string | undefined, name: string): StoredObject | undefined {
    const kv = this.store.get(storageKey(r, namespace, name));
    return kv ? asServed(r, this.decoded.copy(kv)) : undefined;
  }

  /**
   * The stored object an update starts from, to read and never change: the watch's shared, frozen
   * object when it is held (no copy), else a fresh parse. Whatever of it a write hands on is copied.
   */
  private readForUpdate(r: ResourceInfo, namespace: string | undefined, name: string): StoredObject | undefined {
    const kv = this.store.get(storageKey(r, namespace, name));
    return kv ? this.decoded.readOnly(kv) : undefined;
  }

  count(r: ResourceInfo, namespace: string | undefined): number {
    return this.store.count(storagePrefix(r, r.namespaced ? namespace : undefined));
  }

  list(r: ResourceInfo, namespace: string | undefined, q: ListQuery = {}): KList<StoredObject> {
    const list = listObjects(this.store, r, namespace, q);
    if (r.crd) list.items.forEach((o) => asServed(r, o));
    return list;
  }

  // ---- writes ----

  async create(r: ResourceInfo, namespace: string | undefined, body: unknown, opts: WriteOptions): Promise<WriteResult<StoredObject>> {
    const obj = decodeBody(r, body, namespace, opts.bodyOwned);
    const warnings = checkFields(r, obj, opts);
    const strategy = this.strategyOf(r);
    const meta = obj.metadata!;
    // Admission names the object as the request did: its name, else its generateName.
    const displayName = meta.name || meta.generateName || 'Unknown';
    if (!meta.name) {
      if (meta.generateName) meta.name = generateName(meta.generateName);
    }
    if (r.namespaced) {
      meta.namespace = namespace ?? meta.namespace ?? 'default';
      admitIntoNamespace(this.store, meta.namespace, r, strategy, meta.name ?? '');
    } else {
      delete meta.namespace;
    }
    const now = this.now();
    meta.uid = randomUUID();
    meta.creationTimestamp = timestamp(now);
    if (strategy.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    if (!strategy.keepStatusOnCreate && hasStatusSubresource(r)) delete obj.status;
    roundTripAsGo(apiVersionOf(r), r.kind, obj);
    strategy.normalize?.(obj);
    applyDefaults(r.kind, obj, this.opts.defaulting);
    // As the API server's create handler: the request's managed fields are recorded from the defaulted
    // object, before mutating admission and the kind's PrepareForCreate, so what those add (a pod's
    // token volume and Pending status, a Service's allocated IP) belongs to no field manager.
    let managedObj: KObject = obj;
    if (opts.fieldManager !== '') managedObj = recordManagedFields(undefined, obj, opts.fieldManager ?? 'unknown', timestamp(now));
    strategy.prepareForCreate?.(managedObj);
    if (this.admission) await strategy.admitCreate?.(managedObj, { namespace: meta.namespace ?? '', displayName, reader: this });
    await mutateByWebhooks(this.webhooks, r, managedObj, undefined, opts, warnings, this.opts.defaulting);
    if (opts.requester) strategy.checkRequester?.(managedObj, undefined, opts.requester);
    throwIfInvalid(r, managedObj, [...validateCreate(r.kind, managedObj), ...schemaCauses(r, managedObj)]);
    if (this.admission) warnings.push(...admitPodSecurity(this, r, managedObj, undefined, undefined));
    if (this.admission) warnings.push(...this.policies.admit(policyAttributes(r, 'CREATE', managedObj, undefined, opts)));
    await validateByWebhooks(this.webhooks, r, managedObj, undefined, opts, warnings);
    strategy.beforeCreate?.(managedObj);
    if (opts.dryRun) {
      strategy.rollbackCreate?.(managedObj);
      return { object: { ...(managedObj as StoredObject) }, warnings };
    }
    const release = this.admission ? this.quotas.admit(this, r, managedObj, meta.namespace ?? '', displayName) : undefined;
    try {
      const key = storageKey(r, meta.namespace, meta.name!);
      const kv = await this.decoded.write(key, inStorageVersion(r, managedObj), (text) => this.store.create(key, text));
      managedObj.metadata!.resourceVersion = String(kv.modRevision);
      return { object: tracedWrite(r, 'create', managedObj as StoredObject, now, opts), warnings };
    } catch (e) {
      strategy.rollbackCreate?.(managedObj);
      if (e instanceof StoreError && e.code === 'AlreadyExists') throw errors.alreadyExists(r.group, r.plural, meta.name!);
      throw e;
    } finally {
      release?.();
    }
  }

  /** PUT of the object or of its status subresource. */
  async update(
    r: ResourceInfo, namespace: string | undefined, name: string, body: unknown, opts: WriteOptions & { subresource?: string },
  ): Promise<WriteResult<StoredObject>> {
    const obj = decodeBody(r, body, namespace, opts.bodyOwned);
    const warnings = checkFields(r, obj, opts);
    if (obj.metadata!.name !== name) {
      throw errors.badRequest(`the name of the object (${obj.metadata!.name ?? ''}) does not match the name on the URL (${name})`);
    }
    const rv = obj.metadata!.resourceVersion;
    const expected = rv ? Number(rv) : undefined;
    if (rv && !Number.isInteger(expected)) throw errors.badRequest(`invalid resourceVersion "${rv}"`);
    for (let attempt = 0; ; attempt++) {
      const current = this.readForUpdate(r, namespace, name);
      if (!current) throw errors.notFound(r.group, r.plural, name);
      if (expected !== undefined && Number(current.metadata.resourceVersion) !== expected) throw errors.conflict(r.group, r.plural, name);
      try {
        const object = await this.commitUpdate(r, current, clone(obj), opts, warnings);
        return { object, warnings };
      } catch (e) {
        if (expected === undefined && attempt < MAX_RETRIES && isStoreConflict(e)) continue;
        throw this.mapStoreError(e, r, name);
      }
    }
  }

  async patch(
    r: ResourceInfo, namespace: string | undefined, name: string, patch: unknown, type: PatchType,
    opts: WriteOptions & { subresource?: string; force?: boolean },
  ): Promise<WriteResult<StoredObject> & { created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      // Every patch type builds its result from a copy of `current` (patching.ts).
      const current = this.readForUpdate(r, namespace, name);
      if (!current) {
        if (type === 'apply' && !opts.subresource) {
          const applied = applyPatch({ r, current: undefined, patch, type, manager: opts.fieldManager, force: opts.force, now: timestamp(this.now()) });
          const meta = (applied.metadata ??= {});
          if (meta.name && meta.name !== name) throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
          meta.name = name;
          const res = await this.create(r, namespace, applied, { ...opts, fieldManager: '' });
          return { ...res, created: true };
        }
        throw errors.notFound(r.group, r.plural, name);
      }
      const patched = applyPatch({
        r, current, patch, type, manager: opts.fieldManager, force: opts.force, now: timestamp(this.now()), subresource: opts.subresource,
      });
      const pm = (patched.metadata ??= {});
      if (pm.name !== undefined && pm.name !== name) throw errors.badRequest(`the name of the object (${pm.name}) does not match the name on the URL (${name})`);
      // A resourceVersion in the patch (server-side apply's configuration too) is a precondition; otherwise we update what we read.
      const precondition = pm.resourceVersion !== current.metadata.resourceVersion ? pm.resourceVersion : undefined;
      if (precondition) throw errors.conflict(r.group, r.plural, name);
      pm.resourceVersion = current.metadata.resourceVersion;
      const warnings = checkFields(r, patched, opts);
      try {
        const object = await this.commitUpdate(r, current, patched, { ...opts, fieldManager: type === 'apply' ? '' : opts.fieldManager }, warnings);
        return { object, warnings, created: false };
      } catch (e) {
        if (attempt < MAX_RETRIES && isStoreConflict(e)) continue;
        throw this.mapStoreError(e, r, name);
      }
    }
  }

  /**
   * Read-modify-write with retries, for subresources and in-process controllers. `fn` changes the
   * object in place; returning false leaves it untouched.
   */
  async mutate(
    r: ResourceInfo, namespace: string | undefined, name: string, fn: (obj: StoredObject) => boolean | void, opts: WriteOptions & { subresource?: string } = {},
  ): Promise<StoredObject> {
    for (let attempt = 0; ; attempt++) {
      const current = this.readForUpdate(r, namespace, name);
      if (!current) throw errors.notFound(r.group, r.plural, name);
      const next = clone(current); // the caller's copy to change
      if (fn(next) === false) return owned(current);
      try {
        return await this.commitUpdate(r, current, next, opts);
      } catch (e) {
        if (attempt < MAX_RETRIES && isStoreConflict(e)) continue;
        throw this.mapStoreError(e, r, name);
      }
    }
  }

  async delete(r: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions): Promise<{ object: StoredObject; deleted: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const current = this.tryGet(r, namespace, name);
      if (!current) throw errors.notFound(r.group, r.plural, name);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== current.metadata.uid) {
        throw errors.conflict(r.group, r.plural, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
        throw errors.conflict(r.group, r.plural, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
      }
      if (opts.requester) this.strategyOf(r).checkDeleteRequester?.(current, opts.requester);
      if (this.admission) this.policies.admit(policyAttributes(r, 'DELETE', undefined, current, opts));
      try {
        await validateByWebhooks(this.webhooks, r, undefined, current, opts);
        return tracedDelete(r, Date.now(), await this.deleteOnce(r, current, opts));
      } catch (e) {
        if (attempt < MAX_RETRIES && isStoreConflict(e)) continue;
        throw this.mapStoreError(e, r, name);
      }
    }
  }

  async deleteCollection(r: ResourceInfo, namespace: string | undefined, q: ListQuery, opts: DeleteOptions): Promise<KList<StoredObject>> {
    const list = this.list(r, namespace, q);
    const items: StoredObject[] = [];
    for (const item of list.items) {
      try {
        items.push((await this.delete(r, item.metadata.namespace, item.metadata.name, opts)).object);
      } catch (e) {
        if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
      }
    }
    return { ...list, items };
  }

  // ---- internals ----

  private async deleteOnce(r: ResourceInfo, current: StoredObject, opts: DeleteOptions): Promise<{ object: StoredObject; deleted: boolean }> {
    const plan = planDeletion(this.strategyOf(r), current, opts, this.now());
    if (plan.action === 'none') return { object: current, deleted: false };
    const key = storageKey(r, current.metadata.namespace, current.metadata.name);
    const rv = Number(current.metadata.resourceVersion);
    if (plan.action === 'mark') {
      if (opts.dryRun) return { object: plan.object, deleted: false };
      const kv = await this.store.update(key, encode(inStorageVersion(r, plan.object)), rv);
      plan.object.metadata.resourceVersion = String(kv.modRevision);
      return { object: plan.object, deleted: false };
    }
    if (opts.dryRun) return { object: current, deleted: true };
    return { object: await this.remove(r, key, rv), deleted: true };
  }

  /** Deletes the stored object at `key` (at revision `rv`) and tells its strategy. */
  private async remove(r: ResourceInfo, key: string, rv: number): Promise<StoredObject> {
    const gone = asServed(r, decode(await this.store.delete(key, rv)));
    this.strategyOf(r).afterDelete?.(gone);
    return gone;
  }

  /** Validates and writes `input` over `current` (same name), for PUT, PATCH and mutate. */
  private async commitUpdate(
    r: ResourceInfo, stored: StoredObject, input: KObject, opts: WriteOptions & { subresource?: string }, warnings?: string[],
  ): Promise<StoredObject> {
    const strategy = this.strategyOf(r), start = Date.now();
    // A subresource write keeps the parts it does not change from `current` itself (update.ts): they
    // go to the caller with the result, so they must be a copy, not the watch's shared object.
    const current = opts.subresource ? owned(stored) : stored;
    const cur = current.metadata;
    let next = prepareUpdate(r, strategy, current, input, opts.subresource, this.opts.defaulting);
    if (opts.requester && !opts.subresource) strategy.checkRequester?.(next, current, opts.requester);
    if (opts.subresource !== 'status') strategy.beforeUpdate?.(next, current);
    try {
      await mutateByWebhooks(this.webhooks, r, next, current, opts, warnings, this.opts.defaulting);
      throwIfInvalid(r, next, opts.subresource === 'status'
        ? [...validateStatusUpdate(r.kind, next, current), ...schemaCauses(r, next, current)]
        : [...validateObject(r.kind, next), ...validateUpdate(r.kind, next, current, opts.subresource), ...schemaCauses(r, next, current)]);
      if (this.admission && !opts.subresource) strategy.admitUpdate?.(next, current, this);
      if (opts.requester && opts.subresource) strategy.checkSubresourceRequester?.(opts.subresource, next, current, opts.requester);
      if (this.admission) warnings?.push(...admitPodSecurity(this, r, next, current, opts.subresource));
      if (this.admission) warnings?.push(...this.policies.admit(policyAttributes(r, 'UPDATE', next, current, opts)));
      await validateByWebhooks(this.webhooks, r, next, current, opts, warnings);
    } catch (e) {
      strategy.rollbackUpdate?.(next, current);
      throw e;
    }
    if (opts.fieldManager !== '') next = recordManagedFields(current, next, opts.fieldManager ?? 'unknown', timestamp(this.now()), opts.subresource);
    const nmOut = next.metadata as ObjectMeta;
    const key = storageKey(r, cur.namespace, cur.name);
    // Finalized: an object being deleted that nothing holds any more goes away now.
    if (finishesDeletion(strategy, current, next)) {
      if (opts.dryRun) return next as StoredObject;
      return this.remove(r, key, Number(cur.resourceVersion));
    }
    if (nmOut.finalizers && nmOut.finalizers.length === 0) delete nmOut.finalizers;
    // No-op (no new revision): nothing changed but, at most, the times of managedFields entries.
    if (deepEqual(stripRV(next), stripRV(current)) && sameManagedFieldsIgnoringTime(nmOut.managedFields, cur.managedFields)) return owned(current);
    if (opts.dryRun) return next as StoredObject;
    let kv;
    try {
      kv = await this.decoded.write(key, inStorageVersion(r, next), (text) => this.store.update(key, text, Number(cur.resourceVersion)));
    } catch (e) {
      strategy.rollbackUpdate?.(next, current);
      throw e;
    }
    nmOut.resourceVersion = String(kv.modRevision);
    return tracedWrite(r, 'update', next as StoredObject, start, opts);
  }

  private mapStoreError(e: unknown, r: ResourceInfo, name: string): unknown {
    if (e instanceof StoreError) {
      if (e.code === 'Conflict') return errors.conflict(r.group, r.plural, name);
      if (e.code === 'NotFound') return errors.notFound(r.group, r.plural, name);
      if (e.code === 'AlreadyExists') return errors.alreadyExists(r.group, r.plural, name);
    }
    return e;
  }
}

function isStoreConflict(e: unknown): boolean {
  return e instanceof StoreError && (e.code === 'Conflict');
}

/** `o`, or a private copy of it when it is the watch's shared, frozen object. */
function owned(o: StoredObject): StoredObject {
  return Object.isFrozen(o) ? clone(o) : o;
}

/** `o` without resourceVersion and managedFields, for comparing (undefined keys count as absent in deepEqual). */
function stripRV(o: KObject): KObject {
  return { ...o, metadata: { ...(o.metadata ?? {}), resourceVersion: undefined, managedFields: undefined } };
}
