// Serves the OpenAPI documents: GET /openapi/v2 (JSON; a request that accepts only the protobuf encoding gets 406,
// as kube-openapi answers a format it cannot serve), GET /openapi/v3 (the index) and GET /openapi/v3/<group
// version>. Documents carry an ETag of their hash and answer If-None-Match with 304; a v3 request naming the
// current hash may be cached for good, as on kube-apiserver.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../status';
import { sendJson } from '../handlers/respond';
import { openapiDocument, openapiIndex, openapiV2 } from './documents';

/** Whether an Accept header admits JSON (no header, `*\/*`, `application/*` or `application/json`). */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept?.trim()) return true;
  return accept.split(',').some((clause) => {
    const [type, ...params] = clause.trim().split(';').map((s) => s.trim().toLowerCase());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) return false;
    return type === '*/*' || type === 'application/*' || type === 'application/json';
  });
}

function sendDocument(req: IncomingMessage, res: ServerResponse, doc: { body: string; hash: string }, immutable: boolean): void {
  const etag = `"${doc.hash}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Vary', 'Accept');
  res.setHeader('Cache-Control', immutable ? 'public, immutable' : 'no-cache, private');
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304);
    res.end();
    return;
  }
  sendJson(res, 200, doc.body);
}

/** Answers an /openapi/… request; false when `path` is not one. Throws ApiErrors for unknown documents. */
export function serveOpenAPI(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): boolean {
  if (path === '/openapi/v2') {
    if (!acceptsJson(req.headers.accept)) {
      res.writeHead(406, { 'Vary': 'Accept', 'Content-Length': 0 });
      res.end();
      return true;
    }
    sendDocument(req, res, openapiV2(), false);
    return true;
  }
  if (path === '/openapi/v3') {
    sendJson(res, 200, openapiIndex());
    return true;
  }
  const m = /^\/openapi\/v3\/(.+)$/.exec(path);
  if (!m) return false;
  const doc = openapiDocument(m[1]);
  if (!doc) throw errors.pathNotFound();
  sendDocument(req, res, doc, query.get('hash') === doc.hash);
  return true;
}
