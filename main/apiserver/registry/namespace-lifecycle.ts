// Kubernetes' NamespaceLifecycle admission for creates: a namespaced object goes only into a
// namespace that exists and, unless its kind's strategy allows it, is not being deleted.
import type { KV, Store } from '../../store/types';
import type { ResourceInfo } from '../../api/resources';
import { storageKey } from '../../api/resources';
import { errors } from '../status';
import { decode } from './objects';
import type { Strategy } from './strategy';
import { NAMESPACES } from './strategies/namespace';

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

export function admitIntoNamespace(store: Store, namespace: string, r: ResourceInfo, strategy: Strategy, name: string): void {
  const kv = store.get(storageKey(NAMESPACES, undefined, namespace));
  if (!kv) throw errors.notFound(NAMESPACES.group, NAMESPACES.plural, namespace);
  if (strategy.createInTerminatingNamespace) return;
  if (isTerminating(kv)) {
    throw errors.forbidden(r.group, r.plural, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}
