// The API's semantics over the store: create, read, update, patch, delete and watch of every
// resource, with defaulting, validation, optimistic concurrency, generation, managed fields,
// graceful deletion and finalizers. The HTTP handlers and the in-process client both call this.
import { randomUUID } from 'node:crypto';
import type { KV, Store } from '../../store/types';
import { StoreError } from '../../store/types';
import type { KList, KObject, ObjectMeta, StoredObject } from '../../api/types';
import type { ResourceInfo } from '../../api/resources';
import { RESOURCES, apiVersionOf, resourceFor, storageKey, storagePrefix } from '../../api/resources';
import { applyDefaults } from '../../api/defaults';
import { validateCreate, validateObject, validateUpdate, invalidMessage } from '../../api/validation';
import { checkStructure, strictDecodingMessage } from '../../api/schema/structural';
import { dropNullFields } from '../../api/schema/null-fields';
import { ApiError, errors } from '../status';
import { clone, decode, deepEqual, encode, generateName, specPart, timestamp } from './objects';
import { compileSelection } from './selection';
import type { DeleteOptions, ListQuery, PatchType, WriteOptions, WriteResult } from './options';
import type { Strategy } from './strategies';
import { makeStrategies } from './strategies';
import { applyPatch } from './patching';
import { recordManagedFields } from './managed';
import { sameManagedFieldsIgnoringTime } from '../patch/managed-fields';

const MAX_RETRIES = 16;

export interface RegistryOptions {
  now?: () => Date;
}

export class Registry {
  readonly strategies: Map<string, Strategy>;
  private readonly now: () => Date;

  constructor(readonly store: Store, opts: RegistryOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.strategies = makeStrategies();
    for (const [plural, s] of this.strategies) {
      if (!s.restore) continue;
      const r = RESOURCES.find((x) => x.plural === plural && !x.virtual)!;
      for (const kv of store.list(storagePrefix(r)).items) s.restore(decode(kv));
    }
  }

  /** Makes the namespaces every cluster starts with. */
  async bootstrap(): Promise<void> {
    const ns = resourceFor('', 'v1', 'namespaces')!;
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      if (!this.store.get(storageKey(ns, undefined, name))) {
        try {
          await this.create(ns, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, {});
        } catch (e) {
          if (!(e instanceof ApiError && e.reason === 'AlreadyExists')) throw e;
        }
      }
    }
  }

  get revision(): number {
    return this.store.revision;
  }

  // ---- reads ----

  get(r: ResourceInfo, namespace: string | undefined, name: string): StoredObject {
    const kv = this.store.get(storageKey(r, namespace, name));
    if (!kv) throw errors.notFound(r.group, r.plural, name);
    return decode(kv);
  }

  tryGet(r: ResourceInfo, namespace: string | undefined, name: string): StoredObject | undefined {
    const kv = this.store.get(storageKey(r, namespace, name));
    return kv ? decode(kv) : undefined;
  }

  list(r: ResourceInfo, namespace: string | undefined, q: ListQuery = {}): KList<StoredObject> {
    const pred = compileSelection(r.kind, q.labelSelector, q.fieldSelector);
    let revision: number | undefined;
    let startAfter: string | undefined;
    if (q.continue) {
      try {
        const c = JSON.parse(Buffer.from(q.continue, 'base64url').toString('utf8')) as { rv: number; start: string };
        revision = c.rv;
        startAfter = c.start;
      } catch {
        throw errors.badRequest('continue key is not valid: illegal base64 data');
      }
    }
    const prefix = storagePrefix(r, r.namespaced ? namespace : undefined);
    const limit = q.limit && q.limit > 0 ? q.limit : undefined;
    const items: StoredObject[] = [];
    let more = false;
    let listRev = revision ?? this.store.revision;
    try {
      for (;;) {
        const page = this.store.list(prefix, { revision, startAfter, limit: limit ? limit - items.length : undefined });
        listRev = page.revision;
        revision = page.revision;
        for (const kv of page.items) {
          const obj = decode(kv);
          if (!pred || pred(obj)) items.push(obj);
          startAfter = kv.key;
        }
        if (!page.more) break;
        if (limit && items.length >= limit) {
          more = true;
          break;
        }
      }
    } catch (e) {
      if (e instanceof StoreError && e.code === 'Compacted') {
        throw errors.gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      throw e;
    }
    const metadata: KList['metadata'] = { resourceVersion: String(listRev) };
    if (more && startAfter) {
      metadata.continue = Buffer.from(JSON.stringify({ rv: listRev, start: startAfter })).toString('base64url');
    }
    return { apiVersion: apiVersionOf(r), kind: r.listKind, metadata, items };
  }

  // ---- writes ----

  async create(r: ResourceInfo, namespace: string | undefined, body: unknown, opts: WriteOptions): Promise<WriteResult<StoredObject>> {
    const obj = this.decodeBody(r, body, namespace, opts.bodyOwned);
    const warnings = this.checkFields(r, obj, opts);
    const meta = obj.metadata!;
    if (!meta.name) {
      if (meta.generateName) meta.name = generateName(meta.generateName);
    }
    if (r.namespaced) {
      meta.namespace = namespace ?? meta.namespace ?? 'default';
      this.checkNamespaceOpen(meta.namespace, r, meta.name ?? '');
    } else {
      delete meta.namespace;
    }
    const now = this.now();
    meta.uid = randomUUID();
    meta.creationTimestamp = timestamp(now);
    if (tracksGeneration(r)) meta.generation = 1;
    else delete meta.generation;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    const strategy = this.strategies.get(r.plural);
    if (!strategy?.keepStatusOnCreate && r.subresources.some((s) => s.name === 'status')) delete obj.status;
    dropNullFields(apiVersionOf(r), r.kind, obj);
    strategy?.normalize?.(obj);
    applyDefaults(r.kind, obj);
    this.validate(r, obj, validateCreate(r.kind, obj));
    strategy?.beforeCreate?.(obj);
    let managedObj: KObject = obj;
    if (opts.fieldManager !== '') managedObj = recordManagedFields(undefined, obj, opts.fieldManager ?? 'unknown', timestamp(now));
    if (opts.dryRun) {
      strategy?.rollbackCreate?.(obj);
      return { object: { ...(managedObj as StoredObject) }, warnings };
    }
    try {
      const kv = await this.store.create(storageKey(r, meta.namespace, meta.name!), encode(managedObj));
      managedObj.metadata!.resourceVersion = String(kv.modRevision);
      return { object: managedObj as StoredObject, warnings };
    } catch (e) {
      strategy?.rollbackCreate?.(obj);
      if (e instanceof StoreError && e.code === 'AlreadyExists') throw errors.alreadyExists(r.group, r.plural, meta.name!);
      throw e;
    }
  }

  /** PUT of the object or of its status subresource. */
  async update(r: ResourceInfo, namespace: string | undefined, name: string, body: unknown, opts: WriteOptions & { subresource?: string }): Promise<WriteResult<StoredObject>> {
    const obj = this.decodeBody(r, body, namespace, opts.bodyOwned);
    const warnings = this.checkFields(r, obj, opts);
    if (obj.metadata!.name !== name) {
      throw errors.badRequest(`the name of the object (${obj.metadata!.name ?? ''}) does not match the name on the URL (${name})`);
    }
    const rv = obj.metadata!.resourceVersion;
    const expected = rv ? Number(rv) : undefined;
    if (rv && !Number.isInteger(expected)) throw errors.badRequest(`invalid resourceVersion "${rv}"`);
    for (let attempt = 0; ; attempt++) {
      const current = this.tryGet(r, namespace, name);
      if (!current) throw errors.notFound(r.group, r.plural, name);
      if (expected !== undefined && Number(current.metadata.resourceVersion) !== expected) throw errors.conflict(r.group, r.plural, name);
      try {
        const object = await this.commitUpdate(r, current, clone(obj), opts);
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
      const current = this.tryGet(r, namespace, name);
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
      const patched = applyPatch({ r, current, patch, type, manager: opts.fieldManager, force: opts.force, now: timestamp(this.now()), subresource: opts.subresource });
      const pm = (patched.metadata ??= {});
      if (pm.name !== undefined && pm.name !== name) throw errors.badRequest(`the name of the object (${pm.name}) does not match the name on the URL (${name})`);
      // A resourceVersion in the patch is a precondition; otherwise we update what we read.
      const precondition = type !== 'apply' && pm.resourceVersion !== current.metadata.resourceVersion ? pm.resourceVersion : undefined;
      if (precondition) throw errors.conflict(r.group, r.plural, name);
      pm.resourceVersion = current.metadata.resourceVersion;
      const warnings = this.checkFields(r, patched, opts);
      try {
        const object = await this.commitUpdate(r, current, patched, { ...opts, fieldManager: type === 'apply' ? '' : opts.fieldManager });
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
  async mutate(r: ResourceInfo, namespace: string | undefined, name: string, fn: (obj: StoredObject) => boolean | void, opts: WriteOptions & { subresource?: string } = {}): Promise<StoredObject> {
    for (let attempt = 0; ; attempt++) {
      const current = this.get(r, namespace, name);
      const next = clone(current); // a second, independent copy
      if (fn(next) === false) return current;
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
      try {
        return await this.deleteOnce(r, current, opts);
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
    const next = clone(current);
    const meta = next.metadata;
    const now = this.now();
    let changed = false;

    // Graceful deletion of pods that a node runs: the node stops them, then confirms with grace 0.
    if (r.plural === 'pods') {
      const spec = (next as { spec?: { nodeName?: string; terminationGracePeriodSeconds?: number } }).spec;
      const phase = (next as { status?: { phase?: string } }).status?.phase;
      let grace = opts.gracePeriodSeconds ?? spec?.terminationGracePeriodSeconds ?? 30;
      if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' && !spec.nodeName) grace = 0;
      if (grace > 0 || (spec?.nodeName && opts.gracePeriodSeconds === undefined && meta.deletionTimestamp)) {
        if (meta.deletionTimestamp && meta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds <= grace) {
          return { object: current, deleted: false };
        }
        meta.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
        meta.deletionGracePeriodSeconds = grace;
        changed = true;
      } else if (spec?.nodeName && opts.gracePeriodSeconds === undefined) {
        // grace 0 from the pod spec: still let the node confirm
        meta.deletionTimestamp ??= timestamp(now);
        meta.deletionGracePeriodSeconds = 0;
        changed = true;
      }
    }
    // Propagation policy: the garbage collector honours these finalizers.
    const finalizers = new Set(meta.finalizers ?? []);
    const policy = opts.propagationPolicy;
    if (policy === 'Orphan' && !finalizers.has('orphan')) {
      finalizers.add('orphan');
      changed = true;
    } else if (policy === 'Foreground' && !finalizers.has('foregroundDeletion')) {
      finalizers.add('foregroundDeletion');
      changed = true;
    }
    meta.finalizers = finalizers.size ? [...finalizers] : undefined;
    const nsFinalizers = r.plural === 'namespaces' ? ((next as { spec?: { finalizers?: string[] } }).spec?.finalizers ?? []) : [];
    if (finalizers.size || nsFinalizers.length || changed) {
      if (!meta.deletionTimestamp) {
        meta.deletionTimestamp = timestamp(now);
        meta.deletionGracePeriodSeconds ??= 0;
        changed = true;
      }
      if (r.plural === 'namespaces') {
        const st = ((next as { status?: { phase?: string } }).status ??= {});
        if (st.phase !== 'Terminating') {
          st.phase = 'Terminating';
          changed = true;
        }
      }
      if (!changed) return { object: current, deleted: false };
      if (opts.dryRun) return { object: next, deleted: false };
      const kv = await this.store.update(storageKey(r, meta.namespace, meta.name), encode(next), Number(current.metadata.resourceVersion));
      meta.resourceVersion = String(kv.modRevision);
      return { object: next, deleted: false };
    }
    if (opts.dryRun) return { object: current, deleted: true };
    const kv = await this.store.delete(storageKey(r, meta.namespace, meta.name), Number(current.metadata.resourceVersion));
    const gone = decode(kv);
    this.strategies.get(r.plural)?.afterDelete?.(gone);
    return { object: gone, deleted: true };
  }

  /** Validates and writes `next` over `current` (same name), for PUT, PATCH and mutate. */
  private async commitUpdate(r: ResourceInfo, current: StoredObject, next: KObject, opts: WriteOptions & { subresource?: string }): Promise<StoredObject> {
    const cur = current.metadata;
    next.metadata ??= {};
    next.apiVersion = apiVersionOf(r);
    next.kind = r.kind;
    const strategy = this.strategies.get(r.plural);
    const subresourceUpdate = opts.subresource ? strategy?.subresourceUpdates?.[opts.subresource] : undefined;
    if (opts.subresource === 'status') {
      // Only status changes; everything else stays as stored.
      next = { ...current, metadata: { ...current.metadata }, status: next.status } as KObject;
    } else if (subresourceUpdate) {
      // A subresource of the kind's own changes only what its strategy lets through.
      next = subresourceUpdate(current, next);
    } else if (r.subresources.some((s) => s.name === 'status') && r.plural !== 'namespaces' && opts.subresource !== 'finalize') {
      // The main resource does not change status (it has its own subresource).
      if (current.status === undefined) delete next.status;
      else next.status = clone(current.status);
    }
    const nm = next.metadata as ObjectMeta;
    // Fields the server owns.
    nm.uid = cur.uid;
    nm.creationTimestamp = cur.creationTimestamp;
    nm.namespace = cur.namespace;
    nm.name = cur.name;
    nm.deletionTimestamp = cur.deletionTimestamp;
    nm.deletionGracePeriodSeconds = cur.deletionGracePeriodSeconds;
    if (nm.deletionTimestamp === undefined) delete nm.deletionTimestamp;
    if (nm.deletionGracePeriodSeconds === undefined) delete nm.deletionGracePeriodSeconds;
    if (cur.deletionTimestamp && (nm.finalizers ?? []).some((f) => !(cur.finalizers ?? []).includes(f))) {
      throw errors.invalid(r.kind, r.group, cur.name, `${r.kind} "${cur.name}" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted`, [
        { reason: 'FieldValueForbidden', message: 'Forbidden: no new finalizers can be added if the object is being deleted', field: 'metadata.finalizers' },
      ]);
    }
    if (opts.subresource !== 'status') {
      dropNullFields(apiVersionOf(r), r.kind, next);
      strategy?.normalize?.(next);
      applyDefaults(r.kind, next);
    }
    if (tracksGeneration(r)) {
      nm.generation = cur.generation ?? 1;
      if (!deepEqual(specPart(current), specPart(next))) nm.generation = (cur.generation ?? 1) + 1;
    } else {
      delete nm.generation;
    }
    if (opts.subresource !== 'status') strategy?.beforeUpdate?.(next, current);
    try {
      this.validate(r, next, [...validateObject(r.kind, next), ...validateUpdate(r.kind, next, current, opts.subresource)]);
    } catch (e) {
      strategy?.rollbackUpdate?.(next, current);
      throw e;
    }
    if (opts.fieldManager !== '') next = recordManagedFields(current, next, opts.fieldManager ?? 'unknown', timestamp(this.now()), opts.subresource);
    const nmOut = next.metadata as ObjectMeta;
    const key = storageKey(r, cur.namespace, cur.name);
    // Finalized: an object being deleted with no finalizers left goes away now.
    const nsFinalizers = r.plural === 'namespaces' ? ((next as { spec?: { finalizers?: string[] } }).spec?.finalizers ?? []) : [];
    const waitsForNode = r.plural === 'pods' && (cur.deletionGracePeriodSeconds ?? 0) > 0;
    if (cur.deletionTimestamp && !(nmOut.finalizers ?? []).length && !nsFinalizers.length && !waitsForNode) {
      if (opts.dryRun) return next as StoredObject;
      const kv = await this.store.delete(key, Number(cur.resourceVersion));
      const gone = decode(kv);
      strategy?.afterDelete?.(gone);
      return gone;
    }
    if (nmOut.finalizers && nmOut.finalizers.length === 0) delete nmOut.finalizers;
    // No-op (no new revision): nothing changed but, at most, the times of managedFields entries.
    if (deepEqual(stripRV(next), stripRV(current)) && sameManagedFieldsIgnoringTime(nmOut.managedFields, cur.managedFields)) return current;
    if (opts.dryRun) return next as StoredObject;
    let kv;
    try {
      kv = await this.store.update(key, encode(next), Number(cur.resourceVersion));
    } catch (e) {
      strategy?.rollbackUpdate?.(next, current);
      throw e;
    }
    nmOut.resourceVersion = String(kv.modRevision);
    return next as StoredObject;
  }

  /** The body as an object of the resource's kind: a copy, unless the caller handed the body over. */
  private decodeBody(r: ResourceInfo, body: unknown, namespace: string | undefined, owned = false): KObject {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.badRequest(`the body of the request must be a ${r.kind} object`);
    const obj = (owned ? body : clone(body)) as KObject;
    const av = apiVersionOf(r);
    if (obj.apiVersion !== undefined && obj.apiVersion !== av) {
      throw errors.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${av})`);
    }
    if (obj.kind !== undefined && obj.kind !== r.kind) {
      throw errors.badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${r.kind})`);
    }
    obj.apiVersion = av;
    obj.kind = r.kind;
    if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
    const ns = obj.metadata.namespace;
    if (r.namespaced && namespace && ns && ns !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    return obj;
  }

  private checkFields(r: ResourceInfo, obj: KObject, opts: WriteOptions): string[] {
    const mode = opts.fieldValidation ?? 'Warn';
    if (mode === 'Ignore') return [];
    const res = checkStructure(apiVersionOf(r), r.kind, obj);
    if (res.typeErrors.length) {
      throw errors.badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: ${res.typeErrors.map((t) => `${t.field}: ${t.message}`).join(', ')}`);
    }
    if (!res.unknownFields.length) return [];
    if (mode === 'Strict') throw errors.badRequest(strictDecodingMessage(r.kind, r.version, res.unknownFields));
    return res.unknownFields.map((f) => `unknown field "${f}"`);
  }

  private validate(r: ResourceInfo, obj: KObject, causes: ReturnType<typeof validateObject>): void {
    if (!causes.length) return;
    const name = obj.metadata?.name ?? '';
    throw errors.invalid(r.kind, r.group, name, invalidMessage(r.kind, r.group, name, causes), causes);
  }

  private checkNamespaceOpen(namespace: string, r: ResourceInfo, name: string): void {
    const nsr = resourceFor('', 'v1', 'namespaces')!;
    const kv = this.store.get(storageKey(nsr, undefined, namespace));
    if (!kv) throw errors.notFound('', 'namespaces', namespace);
    if (r.plural === 'events') return;
    if (isTerminating(kv)) {
      throw errors.forbidden(r.group, r.plural, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
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

/** Kinds with a spec and a status subresource count spec changes in metadata.generation. */
function tracksGeneration(r: ResourceInfo): boolean {
  return r.subresources.some((s) => s.name === 'status') && !['namespaces', 'nodes', 'pods', 'services'].includes(r.plural);
}

// Stored values never change (a write replaces the KV), so what a namespace's KV says is remembered.
const terminating = new WeakMap<KV, boolean>();

function isTerminating(nsKv: KV): boolean {
  let t = terminating.get(nsKv);
  if (t === undefined) {
    t = Boolean(decode(nsKv).metadata.deletionTimestamp);
    terminating.set(nsKv, t);
  }
  return t;
}

function isStoreConflict(e: unknown): boolean {
  return e instanceof StoreError && (e.code === 'Conflict');
}

function stripRV(o: KObject): KObject {
  const c = { ...o, metadata: { ...(o.metadata ?? {}) } };
  delete c.metadata.resourceVersion;
  delete c.metadata.managedFields;
  return c;
}
