// A UI session that can show another cluster: it answers the cluster calls itself and passes
// every other call to an inner session on the cluster in use — this Flotilla's, or one made from a
// kubeconfig context. Switching ends the inner session (its watches and streams) and starts a new
// one; calls that arrive meanwhile wait for the switch, so they reach the new cluster.
import type { BridgeResult, CallName, ClusterCalls, ClusterContextInfo, ClusterInfo } from '../contract';
import type { BridgeDeps, BridgeSession, Emit } from '../handlers';
import { createBridgeSession } from '../handlers';
import { BridgeFailure, toBridgeError } from '../errors';
import type { KubeContext } from './kubeconfig';
import { readKubeconfigContexts } from './kubeconfig';
import type { KubeconfigSources } from './sources';
import { kubeconfigSources } from './sources';
import type { RemoteDeps } from './remote';
import { connectContext } from './remote';
import { remoteForwardsOf } from './remote-forwards';

/** Calls that act on this Flotilla's machines and data dir: refused while another cluster is shown. */
export const FLOTILLA_ONLY: ReadonlySet<string> = new Set<CallName>([
  'addMachine', 'retryMachine', 'removeMachine', 'importImage',
  'podJourney', 'nodeImages', 'pullNodeImage', 'removeNodeImage', 'pruneNodeImages', 'registryImages', 'deleteRegistryImage', 'buildImage',
]);

export const THIS_CLUSTER: ClusterInfo = { id: '', name: 'This Flotilla', server: '', flotilla: true };

type ClusterImpl = { [K in keyof ClusterCalls]: (req: ClusterCalls[K]['req']) => Promise<ClusterCalls[K]['res']> };

function contextInfo(c: KubeContext): ClusterContextInfo {
  return { id: c.id, name: c.name, file: c.file, server: c.server, user: c.user, namespace: c.namespace, current: c.current, problem: c.problem };
}

function field(req: unknown, name: string): unknown {
  return req !== null && typeof req === 'object' ? (req as Record<string, unknown>)[name] : undefined;
}

export function createClusterSession(local: BridgeDeps, emit: Emit, sources: KubeconfigSources = kubeconfigSources({ dataDir: local.dataDir })): BridgeSession {
  const localInfo: ClusterInfo = { ...THIS_CLUSTER, server: local.api.url };
  let active: ClusterInfo = localInfo;
  let remote: RemoteDeps | undefined;
  let inner = createBridgeSession(local, emit);
  let switching: Promise<unknown> = Promise.resolve();
  let disposed = false;

  const readAll = () => {
    const contexts: KubeContext[] = [];
    const files = sources.files().map((p) => {
      const added = sources.added().includes(p);
      try {
        contexts.push(...readKubeconfigContexts(p));
        return { path: p, added };
      } catch (e) {
        return { path: p, added, error: (e as Error).message };
      }
    });
    return { contexts, files };
  };

  async function switchTo(id: string): Promise<ClusterInfo> {
    let next: RemoteDeps | undefined;
    if (id !== '') {
      const ctx = readAll().contexts.find((c) => c.id === id);
      if (!ctx) throw new BridgeFailure(404, 'NotFound', `no context ${id} in the kubeconfigs the UI knows`);
      next = await connectContext(ctx, remoteForwardsOf(local, local.log ?? console.log));
    }
    inner.dispose();
    remote?.close();
    remote = next;
    active = next?.cluster ?? localInfo;
    inner = createBridgeSession(next ?? local, emit);
    if (disposed) inner.dispose();
    return active;
  }

  const clusterImpl: ClusterImpl = {
    async clusters() {
      const { contexts, files } = readAll();
      return { active, contexts: contexts.map(contextInfo), files };
    },
    async addKubeconfig(req) {
      const p = field(req, 'path');
      const content = field(req, 'content');
      let file: string;
      if (typeof p === 'string' && p !== '') file = p;
      else if (typeof content === 'string' && content !== '') {
        const name = field(req, 'fileName');
        try {
          file = sources.save(typeof name === 'string' && name !== '' ? name : 'kubeconfig', content);
        } catch (e) {
          throw new BridgeFailure(413, 'RequestEntityTooLarge', (e as Error).message);
        }
      } else throw new BridgeFailure(400, 'BadRequest', 'give the path of a kubeconfig file, or its content');
      let contexts: KubeContext[];
      try {
        contexts = readKubeconfigContexts(file);
      } catch (e) {
        if (typeof p !== 'string') sources.remove(file);
        throw new BridgeFailure(400, 'BadRequest', (e as Error).message);
      }
      if (contexts.length === 0) {
        if (typeof p !== 'string') sources.remove(file);
        throw new BridgeFailure(400, 'BadRequest', `${file} has no contexts`);
      }
      sources.add(file);
      return { file, contexts: contexts.map(contextInfo) };
    },
    async removeKubeconfig(req) {
      const p = field(req, 'path');
      if (typeof p !== 'string' || !sources.added().includes(p)) throw new BridgeFailure(404, 'NotFound', `${String(p)} was not added in the UI`);
      sources.remove(p);
      return null;
    },
    async useCluster(req) {
      const id = field(req, 'id');
      if (typeof id !== 'string') throw new BridgeFailure(400, 'BadRequest', 'id must be a string (\'\' for this Flotilla)');
      const run = switching.then(() => switchTo(id));
      switching = run.catch(() => undefined);
      return run;
    },
  };

  return {
    async call(name, req): Promise<BridgeResult<unknown>> {
      if (Object.prototype.hasOwnProperty.call(clusterImpl, name)) {
        try {
          const fn = clusterImpl[name as keyof ClusterCalls] as (r: unknown) => Promise<unknown>;
          return { ok: true, value: await fn(req) };
        } catch (e) {
          return { ok: false, error: toBridgeError(e) };
        }
      }
      await switching;
      if (!active.flotilla && FLOTILLA_ONLY.has(name)) {
        return { ok: false, error: { code: 400, reason: 'BadRequest', message: `${name} is a Flotilla feature; the UI shows context "${active.name}" (${active.server})` } };
      }
      return inner.call(name, req);
    },
    async encodedCall(name, req) {
      if (Object.prototype.hasOwnProperty.call(clusterImpl, name)) return undefined;
      await switching;
      // This Flotilla's lists only: another cluster's are listed by its own API server.
      return remote ? undefined : inner.encodedCall?.(name, req);
    },
    dispose() {
      disposed = true;
      inner.dispose();
      remote?.close();
    },
  };
}
