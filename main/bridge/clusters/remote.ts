// A kubeconfig context as the bridge's dependencies: an HTTPS client with the context's server,
// trust and credentials, checked with one GET /version before the UI switches to it, so a wrong
// address, an untrusted certificate or refused credentials are said at once, in words.
import { HttpClient } from '../../client/http';
import type { BridgeDeps } from '../handlers';
import { BridgeFailure } from '../errors';
import type { KubeContext } from './kubeconfig';
import type { RemoteForwardPool } from './remote-forwards';

export const CONNECT_TIMEOUT_MS = 10_000;

export interface RemoteDeps extends BridgeDeps {
  close(): void;
}

function reachFailure(ctx: KubeContext, server: string, e: unknown): BridgeFailure {
  const err = e as NodeJS.ErrnoException;
  const code = err.code ?? '';
  const why = code === 'ECONNREFUSED' ? 'nothing listens there (connection refused)'
    : code === 'ENOTFOUND' ? 'the host name does not resolve'
      : /certificate|self.signed|UNABLE_TO_VERIFY|CERT_/i.test(`${code} ${err.message}`)
        ? `its TLS certificate is not trusted by the context's certificate authority (${err.message})`
        : err.message;
  return new BridgeFailure(503, 'ServiceUnavailable', `cannot reach ${server} (context "${ctx.name}"): ${why}`);
}

/** Connects to a context; refuses one with a problem, or whose server does not answer as a Kubernetes API. Port forwards come from `pool`. */
export async function connectContext(ctx: KubeContext, pool?: RemoteForwardPool): Promise<RemoteDeps> {
  if (ctx.problem || !ctx.credentials) throw new BridgeFailure(400, 'BadRequest', `cannot use context "${ctx.name}" of ${ctx.file}: ${ctx.problem ?? 'it has no credentials'}`);
  const c = ctx.credentials;
  const client = new HttpClient({ ...c, requestTimeoutMs: CONNECT_TIMEOUT_MS, userAgent: 'flotilla-ui-bridge' });
  let res: { code: number; text: string };
  try {
    res = await client.request('GET', '/version');
  } catch (e) {
    client.close();
    throw reachFailure(ctx, c.server, e);
  }
  if (res.code === 401) {
    client.close();
    throw new BridgeFailure(401, 'Unauthorized', `${c.server} refused the credentials of user "${ctx.user}" (context "${ctx.name}")`);
  }
  if (res.code >= 400 && res.code !== 403) {
    client.close();
    throw new BridgeFailure(502, 'BadGateway', `${c.server} (context "${ctx.name}") answered GET /version with HTTP ${res.code}: is it a Kubernetes API server?`);
  }
  return {
    client,
    api: { url: c.server.replace(/\/+$/, ''), ...c },
    providers: async () => [],
    forwards: pool?.forwardsOf({ ...ctx, credentials: c }),
    cluster: { id: ctx.id, name: ctx.name, server: c.server, flotilla: false, namespace: ctx.namespace },
    close: () => client.close(),
  };
}
