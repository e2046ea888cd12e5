// Watch: the store's events under a resource prefix, filtered by selectors and turned into
// ADDED / MODIFIED / DELETED as Kubernetes defines them for selector transitions.
import type { Store, StoreEvent } from '../../store/types';
import { StoreError } from '../../store/types';
import type { StoredObject, WatchEvent } from '../../api/types';
import type { ResourceInfo } from '../../api/resources';
import { storagePrefix } from '../../api/resources';
import { errors } from '../status';
import { clone, decode, deepFreeze } from './objects';
import { asServed } from './custom-objects';
import { compileSelection } from './selection';
import { customFieldLabels } from '../../api/fields';
import type { WatchQuery } from './options';
import type { Registry } from './registry';
import { decodedObjectsOf, type DecodedObjects } from './decoded';

// Each store event is parsed once however many watchers see it (DecodedObjects.eventObject); a write's "before"
// object is usually the previous write's event object, still held by the store's DecodedObjects.
const parsedOld = new WeakMap<StoreEvent, StoredObject | undefined>();

function oldObject(decoded: DecodedObjects, ev: StoreEvent): StoredObject | undefined {
  if (parsedOld.has(ev)) return parsedOld.get(ev);
  let o: StoredObject | undefined;
  if (ev.prevValue !== undefined) {
    o = (ev.prevRevision !== undefined ? decoded.held(ev.key, ev.prevRevision) : undefined)
      ?? deepFreeze(decode({ key: ev.key, value: ev.prevValue, createRevision: ev.createRevision, modRevision: ev.prevRevision ?? ev.revision }));
  }
  parsedOld.set(ev, o);
  return o;
}

/** Receives events whose objects are shared with other watchers and frozen: copy before changing. */
export type WatchSink = (ev: WatchEvent<StoredObject>) => void;

/**
 * Starts a watch. With a resourceVersion, events after it; without one (or "0"), synthetic ADDED
 * events for what exists now, then changes. `sendInitialEvents` overrides that choice: true sends
 * the current state whatever the resourceVersion, false never does (and starts from now when no
 * resourceVersion is given). `onSynced` learns the revision of the initial state once it is sent.
 * Throws 410 Gone when the revision is compacted.
 */
export function startWatch(
  registry: Registry, store: Store, r: ResourceInfo, namespace: string | undefined, q: WatchQuery, sink: WatchSink,
  onSynced?: (revision: number) => void,
): () => void {
  const pred = compileSelection(r.kind, q.labelSelector, q.fieldSelector, customFieldLabels(r));
  const prefix = storagePrefix(r, r.namespaced ? namespace : undefined);
  let from: number;
  const rv = q.resourceVersion;
  const latest = !rv || rv === '0';
  if (q.sendInitialEvents ?? latest) {
    const list = registry.list(r, namespace, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector });
    for (const item of list.items) sink({ type: 'ADDED', object: deepFreeze(item) });
    from = Number(list.metadata.resourceVersion);
    onSynced?.(from);
  } else if (latest) {
    from = store.revision;
  } else {
    from = Number(rv);
    if (!Number.isInteger(from) || from < 0) throw errors.badRequest(`invalid resourceVersion "${rv}"`);
  }
  const decoded = decodedObjectsOf(store);
  try {
    return store.watch(prefix, from, (events) => {
      for (const ev of events) {
        const out = translate(decoded, ev, pred);
        if (out) sink(r.crd ? { ...out, object: deepFreeze(asServed(r, clone(out.object))) } : out);
      }
    });
  } catch (e) {
    if (e instanceof StoreError && e.code === 'Compacted') {
      throw errors.gone(`too old resource version: ${from} (${e.revision ?? ''})`);
    }
    throw e;
  }
}

function translate(decoded: DecodedObjects, ev: StoreEvent, pred: ((o: StoredObject) => boolean) | undefined): WatchEvent<StoredObject> | undefined {
  if (ev.type === 'DELETE') {
    const last = decoded.eventObject(ev);
    if (pred && !pred(last)) return undefined;
    return { type: 'DELETED', object: last };
  }
  const obj = decoded.eventObject(ev);
  if (!pred) return { type: ev.created ? 'ADDED' : 'MODIFIED', object: obj };
  const now = pred(obj);
  if (ev.created) return now ? { type: 'ADDED', object: obj } : undefined;
  const old = oldObject(decoded, ev);
  const before = old ? pred(old) : false;
  if (now && before) return { type: 'MODIFIED', object: obj };
  if (now) return { type: 'ADDED', object: obj };
  if (before) return { type: 'DELETED', object: obj };
  return undefined;
}
