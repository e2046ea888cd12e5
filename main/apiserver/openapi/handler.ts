// Serves the OpenAPI documents: GET /openapi/v2 (JSON, or gnostic's protobuf to a client that asks for it first, as
// kube-openapi negotiates; 406 for anything else), GET /openapi/v3 (the index) and GET /openapi/v3/<group
// version>. Documents carry an ETag of their hash and answer If-None-Match with 304; a v3 request naming the
// current hash may be cached for good, as on kube-apiserver.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../status';
import { sendJson } from '../handlers/respond';
import { openapiDocument, openapiIndex, openapiV2 } from './documents';
import { openapiV2Protobuf } from './v2-protobuf';

/** The v2 protobuf media types kube-openapi accepts (the first is deprecated) and the one it answers with. */
const V2_PROTOBUF = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'];
const V2_PROTOBUF_CONTENT_TYPE = V2_PROTOBUF[1];

/** The media types an Accept header names, in its order, leaving out those it refuses (q=0); undefined for none. */
function acceptedTypes(accept: string | undefined): string[] | undefined {
  if (!accept?.trim()) return undefined;
  return accept.split(',').flatMap((clause) => {
    const [type, ...params] = clause.trim().split(';').map((p) => p.trim().toLowerCase());
    return params.some((p) => /^q=0(\.0*)?$/.test(p)) ? [] : [type];
  });
}

const isJson = (type: string) => type === '*/*' || type === 'application/*' || type === 'application/json';

/** Whether an Accept header admits JSON (no header, `*\/*`, `application/*` or `application/json`). */
export function acceptsJson(accept: string | undefined): boolean {
  return acceptedTypes(accept)?.some(isJson) ?? true;
}

/** The encoding an Accept header picks for /openapi/v2, in the client's order: JSON, protobuf, or none. */
function v2Encoding(accept: string | undefined): 'json' | 'protobuf' | undefined {
  const types = acceptedTypes(accept);
  if (!types) return 'json';
  const first = types.find((t) => V2_PROTOBUF.includes(t) || isJson(t));
  return first === undefined ? undefined : isJson(first) ? 'json' : 'protobuf';
}

let v2Encoded: { hash: string; body: Buffer } | undefined;

/** A document's caching headers, 304 to a matching If-None-Match, else `send` with 200. */
function sendDocument(req: IncomingMessage, res: ServerResponse, hash: string, immutable: boolean, send: () => void): void {
  const etag = `"${hash}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Vary', 'Accept');
  res.setHeader('Cache-Control', immutable ? 'public, immutable' : 'no-cache, private');
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304);
    res.end();
    return;
  }
  send();
}

/**
 * Answers an /openapi/… request; false when `path` is not one. Throws ApiErrors for unknown documents. `remote`: the
 * v3 paths aggregated servers serve (their requests are proxied before they get here).
 */
export function serveOpenAPI(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, remote: readonly string[] = []): boolean {
  if (path === '/openapi/v2') {
    const encoding = v2Encoding(req.headers.accept);
    if (!encoding) {
      res.writeHead(406, { 'Vary': 'Accept', 'Content-Length': 0 });
      res.end();
      return true;
    }
    const doc = openapiV2();
    sendDocument(req, res, doc.hash, false, () => {
      if (encoding === 'json') return sendJson(res, 200, doc.body);
      if (v2Encoded?.hash !== doc.hash) v2Encoded = { hash: doc.hash, body: openapiV2Protobuf(doc.body) };
      res.writeHead(200, { 'Content-Type': V2_PROTOBUF_CONTENT_TYPE, 'Content-Length': v2Encoded.body.length });
      res.end(v2Encoded.body);
    });
    return true;
  }
  if (path === '/openapi/v3') {
    sendJson(res, 200, openapiIndex(remote));
    return true;
  }
  const m = /^\/openapi\/v3\/(.+)$/.exec(path);
  if (!m) return false;
  const doc = openapiDocument(m[1]);
  if (!doc) throw errors.pathNotFound();
  sendDocument(req, res, doc.hash, query.get('hash') === doc.hash, () => sendJson(res, 200, doc.body));
  return true;
}
