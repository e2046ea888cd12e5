// The port forwards to other clusters: like this Flotilla's, they belong to the process, not to a UI session (the
// window reloads on every switch and on every reload starts a new session), so they are kept here per kubeconfig
// context — each a PortForwards on its own client whose connections go through that API server's pods/portforward —
// and listed again when the UI comes back to the context. They end with the bridge (`close`).
import { HttpClient } from '../../client/http';
import { PortForwards } from '../../tunnel/port-forwards';
import { apiPodDialer, type ApiPodDialer } from '../../tunnel/api-pod-dialer';
import type { ClusterCredentials, KubeContext } from './kubeconfig';

interface Remote {
  client: HttpClient;
  dialer: ApiPodDialer;
  forwards: PortForwards;
}

export interface RemoteForwardPool {
  /** The forwards of a context (made on first use); a context whose server or credentials changed gets new ones. */
  forwardsOf(ctx: KubeContext & { credentials: ClusterCredentials }): PortForwards;
  close(): Promise<void>;
}

export function remoteForwardPool(log: (l: string) => void): RemoteForwardPool {
  const remotes = new Map<string, Remote>();
  const stop = async (r: Remote): Promise<void> => {
    await r.forwards.close();
    r.dialer.close();
    r.client.close();
  };
  return {
    forwardsOf(ctx) {
      const key = `${ctx.id}\n${JSON.stringify(ctx.credentials)}`;
      let r = remotes.get(key);
      if (!r) {
        for (const [k, old] of remotes) {
          if (k.startsWith(`${ctx.id}\n`)) { remotes.delete(k); void stop(old); }
        }
        const client = new HttpClient({ ...ctx.credentials, userAgent: 'flotilla-ui-forwards' });
        const dialer = apiPodDialer(ctx.credentials);
        r = { client, dialer, forwards: new PortForwards(client, dialer.dial, { log: (l) => log(`[${ctx.name}] ${l}`) }) };
        remotes.set(key, r);
      }
      return r.forwards;
    },
    async close() {
      const all = [...remotes.values()];
      remotes.clear();
      await Promise.all(all.map(stop));
    },
  };
}

const pools = new WeakMap<object, RemoteForwardPool>();

/** The pool of one bridge (keyed by its local dependencies, which every session of the bridge shares). */
export function remoteForwardsOf(bridge: object, log: (l: string) => void): RemoteForwardPool {
  let p = pools.get(bridge);
  if (!p) pools.set(bridge, (p = remoteForwardPool(log)));
  return p;
}

/** Ends the forwards to other clusters that a bridge made. */
export async function closeRemoteForwards(bridge: object): Promise<void> {
  const p = pools.get(bridge);
  pools.delete(bridge);
  await p?.close();
}
