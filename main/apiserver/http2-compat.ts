// HTTP/2 beside HTTP/1.1 on the API server's port, chosen by ALPN as kube-apiserver does (client-go and
// kubectl negotiate h2; a controller's many watches then share one connection). Node's HTTP/2 compatibility
// objects serve every handler as IncomingMessage/ServerResponse do, except for the two members Node 20
// leaves out, added here once to their prototypes. Upgrades (exec, attach, port-forward) stay on HTTP/1.1:
// clients ask for them on an http/1.1 connection, as client-go does for SPDY and WebSocket.
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

// Typed by @types/node, but not implemented by Node 20's compatibility API.
if (!('headersDistinct' in Http2ServerRequest.prototype)) {
  Object.defineProperty(Http2ServerRequest.prototype, 'headersDistinct', {
    get(this: Http2ServerRequest) { return distinct(this.rawHeaders); }, configurable: true,
  });
}
if (!('destroyed' in Http2ServerResponse.prototype)) {
  Object.defineProperty(Http2ServerResponse.prototype, 'destroyed', {
    get(this: Http2ServerResponse) { return this.stream.destroyed; }, configurable: true,
  });
}

/**
 * The request and response as the handlers use them, whichever protocol carried them: the compatibility API
 * implements the members the handlers use (headers, url, method, the body stream; writeHead, setHeader, write,
 * end, flushHeaders, statusCode, headersSent, writableEnded, 'close').
 */
export function asHttp1(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): [IncomingMessage, ServerResponse] {
  return [req as IncomingMessage, res as ServerResponse];
}
