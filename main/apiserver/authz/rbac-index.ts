// The RBAC objects the authorizer decides on, held in memory and kept current from the store's
// watch: roles and cluster roles by name, bindings by subject (a user's name — service accounts by
// their user name system:serviceaccount:<ns>:<name> — and a group's). A decision looks up the
// user's and its groups' bindings instead of reading every binding. The store calls watchers before
// a write's promise settles, so a write is in the index before its response is sent.
import type { ClusterRoleBinding, PolicyRule, RoleBinding, RoleRef } from '../../api/types';
import { resourceFor, storagePrefix } from '../../api/resources';
import type { KV, Store, StoreEvent } from '../../store/types';
import type { UserInfo } from './attributes';

const GROUP = 'rbac.authorization.k8s.io';
const PREFIX = {
  roles: storagePrefix(resourceFor(GROUP, 'v1', 'roles')!),
  clusterroles: storagePrefix(resourceFor(GROUP, 'v1', 'clusterroles')!),
  rolebindings: storagePrefix(resourceFor(GROUP, 'v1', 'rolebindings')!),
  clusterrolebindings: storagePrefix(resourceFor(GROUP, 'v1', 'clusterrolebindings')!),
};
/** The common prefix of the four kinds' keys: one watch sees them all. */
const ALL_PREFIX = `/registry/${GROUP}/`;

/** A binding as the authorizer needs it. */
export interface IndexedBinding {
  name: string;
  /** '' for a ClusterRoleBinding. */
  namespace: string;
  roleRef: RoleRef;
}

type Stored = { metadata: { name: string; namespace?: string } };
type BindingSets = Map<string, Set<IndexedBinding>>;
/** An indexed binding and where it is filed (to unfile it). */
type Entry = IndexedBinding & { filed: Array<[BindingSets, string]> };

/** Bindings of one scope (the cluster's, or one namespace's) by the user names and groups they name. */
class SubjectIndex {
  private readonly byName = new Map<string, Entry>();
  private readonly byUser: BindingSets = new Map();
  private readonly byGroup: BindingSets = new Map();

  get size(): number {
    return this.byName.size;
  }

  put(b: (RoleBinding | ClusterRoleBinding) & Stored, namespace: string): void {
    this.remove(b.metadata.name);
    const entry: Entry = { name: b.metadata.name, namespace, roleRef: b.roleRef, filed: [] };
    for (const s of b.subjects ?? []) {
      if (s.kind === 'User') file(this.byUser, s.name, entry);
      else if (s.kind === 'Group') file(this.byGroup, s.name, entry);
      else if (s.kind === 'ServiceAccount') {
        // A subject without a namespace is in the binding's (none for a ClusterRoleBinding: it names no one).
        const ns = s.namespace || namespace;
        if (ns) file(this.byUser, `system:serviceaccount:${ns}:${s.name}`, entry);
      }
    }
    this.byName.set(entry.name, entry);
  }

  remove(name: string): void {
    const entry = this.byName.get(name);
    if (!entry) return;
    this.byName.delete(name);
    for (const [map, key] of entry.filed) {
      const set = map.get(key);
      set?.delete(entry);
      if (set && set.size === 0) map.delete(key);
    }
  }

  /** The bindings naming the user, one of its groups or its service account, in name order (as a list returns them). */
  bindingsOf(user: UserInfo): IndexedBinding[] {
    const found = new Set<IndexedBinding>(this.byUser.get(user.name));
    for (const g of user.groups) for (const b of this.byGroup.get(g) ?? []) found.add(b);
    const out = [...found];
    if (out.length > 1) out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return out;
  }
}

/** Files `entry` under `key`, once. */
function file(map: BindingSets, key: string, entry: Entry): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  if (set.has(entry)) return;
  set.add(entry);
  entry.filed.push([map, key]);
}

export class RbacIndex {
  private readonly clusterRoles = new Map<string, PolicyRule[]>();
  /** Roles by `<namespace>/<name>`. */
  private readonly roles = new Map<string, PolicyRule[]>();
  private readonly clusterBindings = new SubjectIndex();
  private readonly namespaceBindings = new Map<string, SubjectIndex>();
  private readonly stopWatch: () => void;

  constructor(store: Store) {
    // List and watch in one synchronous step: the watch starts right after the listed revision.
    const listed = store.list(ALL_PREFIX);
    for (const kv of listed.items) this.put(kv);
    this.stopWatch = store.watch(ALL_PREFIX, listed.revision, (events) => this.apply(events));
  }

  close(): void {
    this.stopWatch();
  }

  /** The rules of a role (`namespace` '' for a ClusterRole), or undefined when there is no such role. */
  rules(kind: 'Role' | 'ClusterRole', namespace: string, name: string): PolicyRule[] | undefined {
    return kind === 'ClusterRole' ? this.clusterRoles.get(name) : this.roles.get(`${namespace}/${name}`);
  }

  /** The user's ClusterRoleBindings, in name order. */
  clusterBindingsOf(user: UserInfo): IndexedBinding[] {
    return this.clusterBindings.bindingsOf(user);
  }

  /** The user's RoleBindings in `namespace`, in name order. */
  namespaceBindingsOf(user: UserInfo, namespace: string): IndexedBinding[] {
    return this.namespaceBindings.get(namespace)?.bindingsOf(user) ?? [];
  }

  private apply(events: readonly StoreEvent[]): void {
    for (const e of events) {
      if (e.type === 'PUT') this.put(e);
      else this.remove(e);
    }
  }

  private put(kv: Pick<KV, 'key' | 'value'>): void {
    const kind = kindOf(kv.key);
    if (!kind) return;
    const obj = JSON.parse(kv.value) as Stored & { rules?: PolicyRule[] } & RoleBinding;
    const { name, namespace = '' } = obj.metadata;
    switch (kind) {
      case 'clusterroles': this.clusterRoles.set(name, obj.rules ?? []); break;
      case 'roles': this.roles.set(`${namespace}/${name}`, obj.rules ?? []); break;
      case 'clusterrolebindings': this.clusterBindings.put(obj, ''); break;
      case 'rolebindings': {
        let scope = this.namespaceBindings.get(namespace);
        if (!scope) this.namespaceBindings.set(namespace, (scope = new SubjectIndex()));
        scope.put(obj, namespace);
      }
    }
  }

  private remove(e: StoreEvent): void {
    const kind = kindOf(e.key);
    if (!kind) return;
    const { name, namespace = '' } = (JSON.parse(e.value) as Stored).metadata;
    switch (kind) {
      case 'clusterroles': this.clusterRoles.delete(name); break;
      case 'roles': this.roles.delete(`${namespace}/${name}`); break;
      case 'clusterrolebindings': this.clusterBindings.remove(name); break;
      case 'rolebindings': {
        const scope = this.namespaceBindings.get(namespace);
        scope?.remove(name);
        if (scope && scope.size === 0) this.namespaceBindings.delete(namespace);
      }
    }
  }
}

function kindOf(key: string): keyof typeof PREFIX | undefined {
  for (const k of Object.keys(PREFIX) as Array<keyof typeof PREFIX>) if (key.startsWith(PREFIX[k])) return k;
  return undefined;
}
