// The bridge calls, implemented on the API client. One session per UI client (a window or a
// WebSocket): it owns that client's watches, log streams and metrics subscriptions.
import type { Core } from '../core';
import type { ApiClient } from '../client/types';
import type { BridgeCalls, BridgeEvents, BridgeResult, CallName, ClusterCalls, ClusterInfo, EventName, Kind } from './contract';
import type { ApiEndpoint } from './api-http';
import type { ProviderSource } from './providers';
import { defaultProviders } from './providers';
import { BridgeFailure, toBridgeError } from './errors';
import { BadRequest, resourceOfKind } from './kinds';
import { applyYaml, FIELD_MANAGER } from './apply';
import { checkDeployRequest, deploymentFor, serviceFor } from './deploy';
import { cordon, drain, removeNode } from './nodes';
import { addMachine, retryMachine } from './machines';
import { startKindWatch } from './watches';
import { streamLogs } from './logs';
import { sampleMetrics } from './metrics';
import { KIND_RESOURCES } from './kinds';
import { slim } from './slim';
import { informerObject } from './lean-pod';
import { importImageTarball } from './images';
import { createShellSessions } from './shells';
import { nodeSshOf } from './node-shell';
import type { SshSession } from '../nodes/ssh';
import { imageCalls, type ImageDeps } from './image-calls';
import { createBrowserCalls } from './browser-calls';
import { applyDocuments, getObject, openapiSchemas } from './object-yaml';
import type { PortForwards } from '../tunnel/port-forwards';
import { forwardApp, listForwards, openForward, stopForward } from './forwards';
import { unpinApp } from './pin';
import { kindLookup } from './kind-lookup';
import { architectureCalls } from './arch/calls';
import { historyCalls, historyDepsOf, type HistoryDeps } from './history';
import { faultCalls, type FaultDeps } from './faults';
import { podJourney, type JourneySource } from './journey';
import { encodedListCache, type EncodedListCache } from './list-cache';

export interface BridgeDeps {
  client: ApiClient;
  api: ApiEndpoint;
  providers?: ProviderSource;
  /** Imports an image tarball into the nodes (`bridgeDepsOf` always sets it; a bridge built by hand may not). */
  importImage?: (fileName: string, data: Buffer) => Promise<string>;
  /** The data dir (kubeconfigs added in the UI are remembered there). */
  dataDir?: string;
  /** Which cluster these are, when not this Flotilla (a kubeconfig context's). */
  cluster?: ClusterInfo;
  /** Shell: the SSH session Flotilla holds to one of its nodes (absent: no node shells). */
  nodeSsh?: (node: string) => Promise<SshSession>;
  /** The Images view's node agents, built-in registry and data dir (absent parts answer with a clear error). */
  images?: ImageDeps;
  /** The control plane's port forwards (none: the forward calls answer 501). */
  forwards?: PortForwards;
  /** Time travel: this Flotilla's store and compactor (absent: no history window). */
  history?: HistoryDeps;
  /** One-click failures and the node-lifecycle timings (this Flotilla's only). */
  faults?: FaultDeps;
  /** A pod's journey spans (absent: tracing is off or this is not Flotilla's control plane). */
  journeySpans?: JourneySource;
  /** The big kinds' lists kept encoded (this Flotilla's pods; see list-cache.ts); absent: every list made anew. */
  listCache?: EncodedListCache;
  log?: (line: string) => void;
}

export function bridgeDepsOf(core: Core): BridgeDeps {
  const nodes = core.nodes;
  return {
    client: core.client,
    api: { url: core.api.url, token: core.auth.adminToken, caCertPem: core.caCertPem },
    // The node manager knows its providers; without one, the same checks made here.
    providers: nodes ? async () => (await nodes.availability()).map((a) => ({ provider: a.provider, available: a.ok, reason: a.reason })) : undefined,
    importImage: (fileName, data) => importImageTarball(core.dataDir, fileName, data, core.imageRegistry?.port),
    dataDir: core.dataDir,
    nodeSsh: nodes ? nodeSshOf(nodes) : undefined,
    // A getter: the built-in registry may start after the bridge is set up.
    get images(): ImageDeps {
      const agents = nodes ? { dial: nodes.dialAgent, serverToken: (n: string) => nodes.agentToken(n) } : undefined;
      return { agents, registry: core.imageRegistry, dataDir: core.dataDir };
    },
    forwards: core.forwards,
    history: historyDepsOf(core),
    faults: { faults: nodes?.faults, nodeLifecycle: core.nodeLifecycle },
    journeySpans: core.journeySpans,
    listCache: encodedListCache(core.client, ['pods'], { storeRevision: () => core.store.revision }),
  };
}

export type Emit = <E extends EventName>(name: E, payload: BridgeEvents[E]) => void;

export interface BridgeSession {
  call(name: string, req: unknown): Promise<BridgeResult<unknown>>;
  /** A call's value as JSON text when it is kept encoded (a big kind's list), else undefined: then `call` answers it. */
  encodedCall?(name: string, req: unknown): Promise<string | undefined>;
  /** Stops everything the client started. */
  dispose(): void;
}

/** The calls a session on one cluster answers; the cluster calls are the switching session's (`clusters/session.ts`). */
type SessionCall = Exclude<CallName, keyof ClusterCalls>;
type Impl = { [K in SessionCall]: (req: BridgeCalls[K]['req']) => Promise<BridgeCalls[K]['res']> };

function obj(req: unknown): Record<string, unknown> {
  if (req === null || typeof req !== 'object') throw new BadRequest('the request must be an object');
  return req as Record<string, unknown>;
}

function str(req: unknown, field: string): string {
  const v = obj(req)[field];
  if (typeof v !== 'string' || v === '') throw new BadRequest(`${field} must be a non-empty string`);
  return v;
}

/** Stream ids unique in the process: a session that replaces another (a cluster switch) never reuses one. */
let seq = 0;

export function createBridgeSession(deps: BridgeDeps, emit: Emit): BridgeSession {
  const { client } = deps;
  const disposers = new Map<string, () => void>();
  const nextId = (p: string) => `${p}-${++seq}`;
  let disposed = false;
  const shells = createShellSessions(deps, emit);
  disposers.set('shells', () => shells.dispose());
  const kinds = kindLookup(deps.api);
  const browser = createBrowserCalls({ client, api: deps.api, disposers, nextId, emit: (p) => emit('resourceChanged', p) });
  const stopForwardEvents = deps.forwards?.onChange((forwards) => emit('forwards', { forwards }));
  if (stopForwardEvents) disposers.set('forwards', stopForwardEvents);

  const impl: Impl = {
    ...imageCalls({ client, deps: deps.images ?? {}, emit, nextId, track: (id, d) => disposers.set(id, d), untrack: (id) => disposers.delete(id) }),
    ...browser,
    ...architectureCalls({
      sources: { client, api: deps.api, agents: () => deps.images?.agents }, emit, nextId,
      track: (id, d) => disposers.set(id, d), untrack: (id) => { disposers.get(id)?.(); disposers.delete(id); },
    }),
    ...historyCalls(client, deps.history),
    ...faultCalls(deps.faults ?? {}),
    async list(req) {
      const l = await client.list(resourceOfKind(req.kind));
      return { items: l.items.map((o) => informerObject(req.kind, o)), resourceVersion: l.metadata.resourceVersion ?? '0' };
    },
    async watch(req) {
      const watchId = nextId('watch');
      const rv = typeof req.resourceVersion === 'string' ? req.resourceVersion : '0';
      disposers.set(watchId, startKindWatch(client, watchId, req.kind, rv, (p) => {
        if (p.closed) disposers.delete(watchId);
        emit('watch', p);
      }));
      return { watchId };
    },
    async unwatch(req) {
      const id = str(req, 'watchId');
      disposers.get(id)?.();
      disposers.delete(id);
      return null;
    },
    async get(req) {
      return slim(await client.get(resourceOfKind(req.kind), str(req, 'name'), req.namespace));
    },
    async delete(req) {
      const r = resourceOfKind(req.kind);
      // As kubectl deletes (--cascade=background): a Job's pods go with it, where batch/v1's own default orphans them.
      await client.delete(r, str(req, 'name'), { namespace: req.namespace, propagationPolicy: 'Background' });
      return null;
    },
    async applyYaml(req) {
      return { applied: await applyYaml(client, kinds, str(req, 'yaml'), req.namespace) };
    },
    async deployApp(req) {
      const problem = checkDeployRequest(req);
      if (problem) throw new BridgeFailure(422, 'Invalid', problem);
      const dep = deploymentFor(req);
      const svc = serviceFor(req);
      await client.create(KIND_RESOURCES.deployments, dep, { namespace: dep.metadata?.namespace, fieldManager: FIELD_MANAGER });
      if (svc) {
        try {
          await client.create(KIND_RESOURCES.services, svc, { namespace: svc.metadata?.namespace, fieldManager: FIELD_MANAGER });
        } catch (e) {
          const err = toBridgeError(e);
          throw new BridgeFailure(err.code, err.reason, `deployment ${req.name} was created, but its service was not: ${err.message}`);
        }
        await forwardApp(deps.forwards, svc, deps.log ?? console.log);
      }
      return { deployment: req.name, service: svc ? req.name : undefined };
    },
    async deleteApp(req) {
      const name = str(req, 'name');
      await client.delete(KIND_RESOURCES.deployments, name, { namespace: req.namespace, propagationPolicy: 'Background' });
      await deps.forwards?.stopApp(req.namespace, name);
      try {
        await client.delete(KIND_RESOURCES.services, name, { namespace: req.namespace });
      } catch (e) {
        if (toBridgeError(e).code !== 404) throw e;
      }
      return null;
    },
    async scale(req) {
      if (!Number.isInteger(req.replicas) || req.replicas < 0) throw new BridgeFailure(422, 'Invalid', 'replicas must be a whole number, 0 or more');
      await client.patch(KIND_RESOURCES.deployments, str(req, 'name'), { spec: { replicas: req.replicas } }, 'merge', { namespace: req.namespace });
      return null;
    },
    async cordon(req) {
      await cordon(client, str(req, 'node'), req.unschedulable === true);
      return null;
    },
    async drain(req) {
      return drain(client, str(req, 'node'));
    },
    async removeNode(req) {
      await removeNode(client, str(req, 'node'));
      return null;
    },
    async providers() {
      return (deps.providers ?? defaultProviders)();
    },
    async addMachine(req) {
      return addMachine(client, req);
    },
    async retryMachine(req) {
      return retryMachine(client, str(req, 'name'));
    },
    async removeMachine(req) {
      await client.delete(KIND_RESOURCES.machines, str(req, 'name'));
      return null;
    },
    async importImage(req) {
      const fileName = str(req, 'fileName');
      if (!deps.importImage) {
        throw new BridgeFailure(501, 'NotImplemented', `cannot import ${fileName}: this bridge was started without an image importer`);
      }
      return { message: await deps.importImage(fileName, Buffer.from(str(req, 'dataBase64'), 'base64')) };
    },
    async logs(req) {
      const streamId = nextId('logs');
      const stop = streamLogs(deps.api, { ...req, namespace: str(req, 'namespace'), pod: str(req, 'pod') }, {
        lines: (lines) => emit('log', { streamId, lines }),
        end: (error) => {
          disposers.delete(streamId);
          emit('log', { streamId, lines: [], end: { error } });
        },
      });
      disposers.set(streamId, stop);
      return { streamId };
    },
    async stopLogs(req) {
      const id = str(req, 'streamId');
      disposers.get(id)?.();
      disposers.delete(id);
      return null;
    },
    async subscribeMetrics() {
      const subscriptionId = nextId('metrics');
      disposers.set(subscriptionId, sampleMetrics(deps.api, (p) => emit('metrics', p)));
      return { subscriptionId };
    },
    async unsubscribeMetrics(req) {
      const id = str(req, 'subscriptionId');
      disposers.get(id)?.();
      disposers.delete(id);
      return null;
    },
    shellStart: (req) => shells.start(req),
    shellInput: async (req) => { shells.input(req.sessionId, req.dataBase64); return null; },
    shellResize: async (req) => { shells.resize(req.sessionId, req.cols, req.rows); return null; },
    shellAck: async (req) => { shells.ack(req.sessionId, req.bytes); return null; },
    shellStop: async (req) => { shells.stop(req.sessionId); return null; },
    getObjectByKind: async (req) => getObject(client, kinds, { ...req, apiVersion: str(req, 'apiVersion'), kind: str(req, 'kind'), name: str(req, 'name') }),
    applyDocuments: async (req) => ({ documents: await applyDocuments(client, kinds, str(req, 'yaml'), { namespace: req.namespace, dryRun: req.dryRun === true, force: req.force }) }),
    openapiSchemas: async (req) => ({ schemas: await openapiSchemas(deps.api, str(req, 'apiVersion')) }),
    forwards: () => listForwards(deps.forwards),
    openForward: (req) => openForward(deps.forwards, req),
    stopForward: (req) => stopForward(deps.forwards, str(req, 'id')),
    unpinApp: (req) => unpinApp(client, str(req, 'namespace'), str(req, 'name')),
    podJourney: (req) => podJourney(deps.journeySpans, req),
  };

  return {
    async encodedCall(name, req) {
      const cache = deps.listCache;
      const kind = name === 'list' && req !== null && typeof req === 'object' ? (req as { kind?: unknown }).kind : undefined;
      if (disposed || !cache || typeof kind !== 'string' || !cache.has(kind as Kind)) return undefined;
      try {
        return await cache.listJson(kind as Kind);
      } catch (e) {
        deps.log?.(`list cache: ${(e as Error).message}; listing directly`);
        return undefined;
      }
    },
    async call(name, req) {
      if (disposed) return { ok: false, error: { code: 503, reason: 'ServiceUnavailable', message: 'the bridge session is closed' } };
      if (!Object.prototype.hasOwnProperty.call(impl, name)) return { ok: false, error: { code: 404, reason: 'NotFound', message: `no bridge call "${name}"` } };
      try {
        const fn = impl[name as SessionCall] as (r: unknown) => Promise<unknown>;
        return { ok: true, value: await fn(req) };
      } catch (e) {
        return { ok: false, error: toBridgeError(e) };
      }
    },
    dispose() {
      disposed = true;
      for (const d of disposers.values()) d();
      disposers.clear();
    },
  };
}
