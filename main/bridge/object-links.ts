// What the browser shows around one object: its events (as `kubectl describe` finds them, by the
// involvedObject's fields) and the objects whose ownerReferences point at it.
import type { KObject } from '../api/types';
import type { ApiClient } from '../client/types';
import type { OwnedObject } from './contract';
import type { ResolvedType, ResourceTypes } from './resource-types';
import { toBridgeError } from './errors';

const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };

interface EventLike extends KObject {
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
}

function when(e: EventLike): string {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '';
}

/** The object's events, oldest first; a cluster-scoped object's come from every namespace. */
export async function eventsOf(client: ApiClient, t: ResolvedType, obj: KObject): Promise<KObject[]> {
  const m = obj.metadata ?? {};
  const fields = [`involvedObject.kind=${t.type.kind}`, `involvedObject.name=${m.name ?? ''}`];
  if (m.namespace) fields.push(`involvedObject.namespace=${m.namespace}`);
  if (m.uid) fields.push(`involvedObject.uid=${m.uid}`);
  const l = await client.list<EventLike>(EVENTS, { namespace: m.namespace, fieldSelector: fields.join(',') });
  return [...l.items].sort((a, b) => when(a).localeCompare(when(b)));
}

/** Objects naming `obj` as an owner, over every listable type of its scope (events left out: they are never owned). */
export async function ownedBy(client: ApiClient, types: ResourceTypes, obj: KObject): Promise<OwnedObject[]> {
  const uid = obj.metadata?.uid;
  if (!uid) return [];
  const namespace = obj.metadata?.namespace;
  const candidates = (await types.all()).filter((t) => t.resource !== 'events' && (namespace ? true : !t.namespaced));
  const found = await Promise.all(candidates.map(async (t) => {
    try {
      const l = await client.list({ group: t.group, version: t.version, plural: t.resource, namespaced: t.namespaced }, { namespace });
      return l.items.flatMap((o): OwnedObject[] => {
        const ref = o.metadata?.ownerReferences?.find((r) => r.uid === uid);
        if (!ref) return [];
        return [{
          group: t.group, version: t.version, resource: t.resource, kind: t.kind, name: o.metadata?.name ?? '',
          namespace: o.metadata?.namespace, controller: ref.controller === true,
        }];
      });
    } catch (e) {
      // A type the caller may not list (RBAC) or one gone meanwhile (a deleted CRD) owns nothing we can show.
      const code = toBridgeError(e).code;
      if (code === 403 || code === 404 || code === 405) return [];
      throw e;
    }
  }));
  return found.flat().sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
