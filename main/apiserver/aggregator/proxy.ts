// One request proxied to an aggregated API server, as kube-aggregator's proxy handler does: the same method, path,
// query and body on a new connection to the APIService's server; the client's credentials (Authorization,
// Impersonate-*) and any X-Remote-* it sent dropped, and the authenticated user put in X-Remote-User, X-Remote-Group
// and X-Remote-Extra-<key>; the answer streamed back as it comes (a watch stays open until either side ends it).
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { Identity } from '../auth';
import type { Backend } from './transport';

/** Headers that belong to one connection (RFC 9110 §7.6.1), never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'host', 'http2-settings']);

function forwardable(name: string): boolean {
  const n = name.toLowerCase();
  return !n.startsWith(':') && !HOP_BY_HOP.has(n);
}

/** The request's headers for the aggregated server: credentials out, the front proxy's identity headers in. */
export function proxiedRequestHeaders(headers: IncomingHttpHeaders, identity: Identity): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    const n = k.toLowerCase();
    if (!forwardable(n) || n === 'authorization' || n.startsWith('impersonate-') || n.startsWith('x-remote-') || v === undefined) continue;
    out[k] = v;
  }
  out['X-Remote-User'] = identity.name;
  if (identity.groups.length) out['X-Remote-Group'] = [...identity.groups];
  for (const [key, values] of Object.entries(identity.extra ?? {})) out[`X-Remote-Extra-${encodeURIComponent(key)}`] = [...values];
  return out;
}

export async function proxyToBackend(
  backend: Backend, req: IncomingMessage, res: ServerResponse, identity: Identity,
  sendText: (res: ServerResponse, code: number, text: string) => void,
): Promise<void> {
  let socket;
  try {
    socket = await backend.connect();
  } catch (e) {
    sendText(res, 503, `error trying to reach service: ${e instanceof Error ? e.message : String(e)}`);
    req.resume();
    return;
  }
  await new Promise<void>((resolve) => {
    let answered: IncomingMessage | undefined;
    const upstream = https.request({
      method: req.method, path: req.url, createConnection: () => socket,
      headers: proxiedRequestHeaders(req.headers, identity),
    }, (answer) => {
      answered = answer;
      const headers: OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(answer.headers)) if (forwardable(k) && v !== undefined) headers[k] = v;
      res.writeHead(answer.statusCode ?? 502, headers);
      // Flush each chunk as it comes: watch events must not wait in a buffer.
      answer.on('data', (c: Buffer) => { res.write(c); });
      answer.on('end', () => { res.end(); resolve(); });
      answer.on('error', () => { if (!res.writableEnded) res.destroy(); resolve(); });
    });
    upstream.on('error', (e) => {
      // The connection closing once the answer is whole (the server closes it, and the tunnel with it) is no error of
      // the answer's: its end is on its way.
      if (res.writableEnded || answered?.complete) return;
      if (!res.headersSent) sendText(res, 503, `error trying to reach service: ${e.message}`);
      else res.destroy();
      resolve();
    });
    // The client gone: so is the upstream request (a watch ends on both sides).
    res.on('close', () => { upstream.destroy(); socket.destroy(); resolve(); });
    req.pipe(upstream);
  });
}
