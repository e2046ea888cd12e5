// Connections to a pod's port through any Kubernetes API server, as kubectl port-forward makes them: one
// `POST pods/<pod>/portforward` upgraded to SPDY/3.1 (`X-Stream-Protocol-Version: portforward.k8s.io`) per pod,
// kept while it carries streams, and per connection an error stream (FIN at once, as kubectl does) and a data
// stream with the same requestid. What the server writes on the error stream ("no connection to node …", the
// runtime's refusal) ends that connection with the message. Used for the UI's forwards on other clusters.
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import type { ApiCredentials } from '../client/credentials';
import { authHeaders, tlsOptions } from '../client/credentials';
import { SpdySession, type SpdyStream } from '../protocol/spdy/session';
import type { Target } from './endpoints';
import type { PodDialer } from './pod-tunnel';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

/** How long a pod's SPDY connection stays open without streams before it is closed. */
const IDLE_MS = 30_000;

export interface ApiDialerOptions extends ApiCredentials {
  /** https://host:port of the API server. */
  server: string;
}

/** A port-forward upgrade the server refused, with its Status message when it sent one. */
export class PortForwardRefused extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

function statusMessage(code: number, body: string): string {
  try {
    const s = JSON.parse(body) as { message?: unknown };
    if (typeof s.message === 'string' && s.message) return s.message;
  } catch { /* not JSON */ }
  return body.trim() || `the API server answered the port-forward upgrade with HTTP ${code}`;
}

/** The portforward path of a pod (no query: the ports travel in each stream's headers). */
export function portForwardPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`;
}

/** Opens the SPDY connection for one pod's port forwards. */
export function openPortForwardSession(o: ApiDialerOptions, namespace: string, pod: string): Promise<SpdySession> {
  const u = new URL(o.server);
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: u.hostname, port: u.port || 443, method: 'POST', path: portForwardPath(namespace, pod), ...tlsOptions(o),
      headers: {
        ...authHeaders(o), Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': PORT_FORWARD_PROTOCOL,
        'User-Agent': 'flotilla-ui-bridge', 'Content-Length': 0,
      },
    });
    req.on('upgrade', (res, socket, head) => {
      const version = String(res.headers['x-stream-protocol-version'] ?? '');
      if (version !== PORT_FORWARD_PROTOCOL) {
        socket.destroy();
        reject(new PortForwardRefused(502, `the API server did not agree on ${PORT_FORWARD_PROTOCOL} (it answered "${version}")`));
        return;
      }
      const session = new SpdySession(socket, 'client', head);
      session.on('error', () => undefined);
      resolve(session);
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => reject(new PortForwardRefused(res.statusCode ?? 502, statusMessage(res.statusCode ?? 502, Buffer.concat(parts).toString()))));
      res.on('error', (e) => reject(e));
    });
    req.on('error', (e) => reject(new PortForwardRefused(503, `cannot reach the API server for port-forward: ${e.message}`)));
    req.end();
  });
}

interface PodSession {
  session: Promise<SpdySession>;
  idle?: ReturnType<typeof setTimeout>;
}

/** Reads what the server writes on an error stream (nothing: the connection went well). */
function errorText(s: SpdyStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    s.on('data', (d: Buffer) => (text += d.toString('utf8')));
    s.on('end', () => resolve(text.trim()));
    s.on('close', () => resolve(text.trim()));
    s.on('error', () => resolve(text.trim()));
  });
}

/** Kubernetes' pair for one connection: the error stream (our side finished at once), then the data stream. */
async function openPair(session: SpdySession, headers: Record<string, string>): Promise<{ error: SpdyStream; data: SpdyStream }> {
  const error = await session.openStream({ ...headers, streamtype: 'error' });
  error.end();
  try {
    return { error, data: await session.openStream({ ...headers, streamtype: 'data' }) };
  } catch (e) {
    error.destroy();
    throw e;
  }
}

export interface ApiPodDialer {
  dial: PodDialer;
  /** Closes every pod's SPDY connection (their streams end). */
  close(): void;
}

/** A pod dialer through the API server's pods/portforward. */
export function apiPodDialer(o: ApiDialerOptions): ApiPodDialer {
  const sessions = new Map<string, PodSession>();
  let requestId = 0;
  let closed = false;

  const drop = (key: string, entry: PodSession): void => {
    if (sessions.get(key) === entry) sessions.delete(key);
    clearTimeout(entry.idle);
  };

  const sessionFor = (namespace: string, pod: string): { key: string; entry: PodSession } => {
    const key = `${namespace}/${pod}`;
    const have = sessions.get(key);
    if (have) return { key, entry: have };
    const entry: PodSession = { session: openPortForwardSession(o, namespace, pod) };
    sessions.set(key, entry);
    entry.session.then((s) => s.on('close', () => drop(key, entry)), () => drop(key, entry));
    return { key, entry };
  };

  /** Closes a pod's connection once it has carried no stream for a while. */
  const watchIdle = (key: string, entry: PodSession, s: SpdySession): void => {
    clearTimeout(entry.idle);
    entry.idle = setTimeout(() => {
      if (s.streamCount > 0) { watchIdle(key, entry, s); return; }
      drop(key, entry);
      s.close();
    }, IDLE_MS);
    entry.idle.unref();
  };

  const dial: PodDialer = async (t: Target): Promise<Duplex> => {
    if (closed) throw new Error('the port forwards are closed');
    const { key, entry } = sessionFor(t.namespace, t.pod);
    const session = await entry.session;
    clearTimeout(entry.idle);
    const headers = { port: String(t.port), requestid: String(++requestId) };
    const { error, data } = await openPair(session, headers).catch((e: unknown) => {
      // A connection the server ended meanwhile: the next dial opens a new one (a refused stream leaves the others be).
      if (session.closed) drop(key, entry);
      throw e;
    });
    void errorText(error).then((text) => {
      if (text && !data.destroyed) data.destroy(new Error(text));
    });
    data.once('close', () => watchIdle(key, entry, session));
    return data;
  };

  return {
    dial,
    close() {
      closed = true;
      for (const [key, entry] of [...sessions]) {
        drop(key, entry);
        entry.session.then((s) => s.close(), () => undefined);
      }
    },
  };
}
