// HTTP/2 beside HTTP/1.1 on the API server's port, chosen by ALPN as kube-apiserver does (client-go and
// kubectl negotiate h2; a controller's many watches then share one connection). Node's HTTP/2 compatibility
// objects serve every handler as IncomingMessage/ServerResponse do, except for the few members made good
// here. Upgrades (exec, attach, port-forward) stay on HTTP/1.1: clients ask for them on an http/1.1
// connection, as client-go does for SPDY and WebSocket.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

/** kube-apiserver's default limit of concurrent streams per HTTP/2 connection (--http2-max-streams-per-connection). */
export const MAX_STREAMS_PER_CONNECTION = 1000;

function distinct(raw: readonly string[]): NodeJS.Dict<string[]> {
  const out: NodeJS.Dict<string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers are not headers
    (out[name] ??= []).push(raw[i + 1]);
  }
  return out;
}

/** The request and response as the handlers use them, whichever protocol carried them. */
export function asHttp1(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): [IncomingMessage, ServerResponse] {
  if (req instanceof Http2ServerRequest && res instanceof Http2ServerResponse) {
    const h2req = req;
    const h2res = res;
    if (!('headersDistinct' in (h2req as object))) {
      Object.defineProperty(h2req, 'headersDistinct', { get: () => distinct(h2req.rawHeaders), configurable: true });
    }
    if (!('destroyed' in (h2res as object))) { // typed, but not implemented by Node 20
      Object.defineProperty(h2res, 'destroyed', { get: () => h2res.stream.destroyed, configurable: true });
    }
    // The compatibility API implements the members the handlers use (headers, url, method, the body stream;
    // writeHead, setHeader, write, end, flushHeaders, statusCode, headersSent, writableEnded, 'close').
    return [h2req as unknown as IncomingMessage, h2res as unknown as ServerResponse];
  }
  return [req as IncomingMessage, res as ServerResponse];
}
