// The resource browser's bridge calls (contract.ts "Resource browser" block), on the ApiClient and
// the API over HTTP (discovery and Tables), so they work against any Kubernetes API server.
import type { ApiClient } from '../client/types';
import type { BridgeCalls, BridgeEvents } from './contract';
import type { ApiEndpoint } from './api-http';
import { BridgeFailure, toBridgeError } from './errors';
import { BadRequest } from './kinds';
import { slim } from './slim';
import { ResourceTypes } from './resource-types';
import { listTable } from './tables';
import { startResourceWatch } from './resource-watch';
import { eventsOf, ownedBy } from './object-links';
import { rolloutHistory, rolloutKindOf, rolloutRestart, rolloutUndo } from './rollout';
import type { RolloutKind } from './rollout';
import { scaleObject, triggerCronJob } from './workload-actions';
import type { ResolvedType } from './resource-types';

type BrowserCallName =
  | 'discover' | 'countResources' | 'listTable' | 'watchResource' | 'getObject' | 'objectEvents' | 'ownedObjects'
  | 'rolloutHistory' | 'rolloutUndo' | 'rolloutRestart' | 'scaleObject' | 'triggerCronJob';
export type BrowserCalls = { [K in BrowserCallName]: (req: BridgeCalls[K]['req']) => Promise<BridgeCalls[K]['res']> };

export interface BrowserSession {
  client: ApiClient;
  api: ApiEndpoint;
  /** The session's stoppable things by id ('unwatch' stops a watch by its id). */
  disposers: Map<string, () => void>;
  nextId(prefix: string): string;
  emit(payload: BridgeEvents['resourceChanged']): void;
}

function rolloutKind(t: ResolvedType): RolloutKind {
  const kind = rolloutKindOf(t.ref);
  if (!kind) throw new BridgeFailure(400, 'BadRequest', `no rollout history for ${t.type.resource}: only deployments, statefulsets and daemonsets have one`);
  return kind;
}

export function createBrowserCalls(s: BrowserSession): BrowserCalls {
  const { client, api } = s;
  const types = new ResourceTypes(api);
  const objectOf = async (req: BridgeCalls['getObject']['req']) => {
    const t = await types.resolve(req);
    const { name, namespace } = ResourceTypes.objectOf(t, req);
    return { t, obj: await client.get(t.ref, name, namespace) };
  };

  return {
    async discover() {
      return types.all(true);
    },
    async countResources(req) {
      const namespace = req && typeof req.namespace === 'string' && req.namespace ? req.namespace : undefined;
      const all = await types.all();
      const counts: Record<string, number> = {};
      await Promise.all(all.map(async (t) => {
        try {
          const ref = { group: t.group, version: t.version, plural: t.resource, namespaced: t.namespaced };
          const l = await client.list(ref, { namespace: t.namespaced ? namespace : undefined });
          counts[`${t.group}/${t.resource}`] = l.items.length;
        } catch (e) {
          // Not countable here: forbidden, not listable, or an aggregated API whose server is down (503).
          if (![403, 404, 405, 503].includes(toBridgeError(e).code)) throw e;
        }
      }));
      return counts;
    },
    async listTable(req) {
      const t = await types.resolve(req);
      return listTable(api, t.ref, ResourceTypes.namespaceOf(t, req), req.labelSelector || undefined);
    },
    async watchResource(req) {
      const t = await types.resolve(req);
      if (typeof req.resourceVersion !== 'string') throw new BadRequest('resourceVersion must be a string');
      const watchId = s.nextId('resource-watch');
      const opts = { namespace: ResourceTypes.namespaceOf(t, req), labelSelector: req.labelSelector || undefined, resourceVersion: req.resourceVersion };
      s.disposers.set(watchId, startResourceWatch(client, watchId, t.ref, opts, (p) => {
        if (p.closed) s.disposers.delete(watchId);
        s.emit(p);
      }));
      return { watchId };
    },
    async getObject(req) {
      return slim((await objectOf(req)).obj);
    },
    async objectEvents(req) {
      const { t, obj } = await objectOf(req);
      return (await eventsOf(client, t, obj)).map(slim);
    },
    async ownedObjects(req) {
      return ownedBy(client, types, (await objectOf(req)).obj);
    },
    async rolloutHistory(req) {
      const { t, obj } = await objectOf(req);
      return rolloutHistory(client, rolloutKind(t), obj);
    },
    async rolloutUndo(req) {
      const { t, obj } = await objectOf(req);
      return { message: await rolloutUndo(client, t.ref, rolloutKind(t), obj, req.toRevision ?? 0) };
    },
    async rolloutRestart(req) {
      const { t, obj } = await objectOf(req);
      await rolloutRestart(client, t.ref, rolloutKind(t), obj);
      return null;
    },
    async scaleObject(req) {
      const t = await types.resolve(req);
      if (!t.type.subresources.includes('scale')) throw new BridgeFailure(400, 'BadRequest', `${t.type.resource} cannot be scaled: they have no scale subresource`);
      const { name, namespace } = ResourceTypes.objectOf(t, req);
      await scaleObject(client, t.ref, name, namespace, req.replicas);
      return null;
    },
    async triggerCronJob(req) {
      if (!req || typeof req.namespace !== 'string' || !req.namespace || typeof req.name !== 'string' || !req.name) {
        throw new BadRequest('namespace and name must be non-empty strings');
      }
      return { job: await triggerCronJob(client, req.namespace, req.name, typeof req.jobName === 'string' ? req.jobName : undefined) };
    },
  };
}
