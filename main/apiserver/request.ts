// Turns an HTTP request into what the API server needs: which resource, which verb, which object,
// and the decoded body (JSON or YAML, at most 3 MiB).
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors } from './status';
import { goJsonSyntaxError } from './json-syntax';
import { PROTOBUF_CONTENT_TYPE, decodeKubernetesProtobuf } from './protobuf/decode';
import { queryFlag } from './query-bool';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface RequestInfo {
  /** True for /api/... and /apis/... resource paths; false for discovery and other paths. */
  isResource: boolean;
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | '';
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** The deprecated watch form `/api/v1/watch/…`: a watch whatever the query says (GET only). */
  legacyWatch?: boolean;
  path: string;
  query: URLSearchParams;
}

/**
 * Parses /api/v1/namespaces/ns/pods/name/status and friends, and the deprecated watch paths
 * (/api/v1/watch/namespaces/ns/pods/name) as Kubernetes' RequestInfoFactory does.
 */
export function parseRequestInfo(method: string, rawUrl: string): RequestInfo {
  const url = requestUrl(rawUrl);
  const parts = url.pathname.split('/').filter(Boolean).map(decodeSegment);
  const info: RequestInfo = { isResource: false, verb: '', group: '', version: '', resource: '', path: url.pathname, query: url.searchParams };
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    info.version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    info.group = parts[1];
    info.version = parts[2];
    rest = parts.slice(3);
  } else {
    return info;
  }
  info.isResource = true;
  if (rest[0] === 'watch' && rest.length >= 2) {
    info.legacyWatch = true;
    rest = rest.slice(1);
  }
  // namespaces/{ns}/{resource}/... — but /namespaces/{name} and /namespaces/{name}/status|finalize is the namespace itself
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    info.namespace = rest[1];
    rest = rest.slice(2);
  }
  info.resource = rest[0];
  info.name = rest[1];
  info.subresource = rest[2];
  const isWatch = queryFlag(url.searchParams, 'watch');
  if (info.legacyWatch) {
    // Only GET is routed on the watch paths: any other method is refused (verb '' → 405).
    if (method === 'GET') info.verb = 'watch';
    return info;
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      info.verb = info.name ? (isWatch ? 'watch' : 'get') : isWatch ? 'watch' : 'list';
      break;
    case 'POST':
      info.verb = 'create';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
  }
  return info;
}

/**
 * The request target as a URL: its path as sent (a path starting with // is a path, not a host), and a
 * target that is no URL at all is the client's error.
 */
export function requestUrl(rawUrl: string): URL {
  try {
    return rawUrl.startsWith('/') ? new URL(`http://x${rawUrl}`) : new URL(rawUrl, 'http://x');
  } catch {
    throw errors.badRequest(`invalid request URI ${JSON.stringify(rawUrl.slice(0, 200))}`);
  }
}

/** A path segment unescaped; a bad escape is the client's error (Go's url package: `invalid URL escape "%zz"`). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    const bad = /%(?![0-9a-fA-F]{2})(.{0,2})/.exec(segment)?.[0] ?? segment;
    throw errors.badRequest(`invalid URL escape ${JSON.stringify(bad)}`);
  }
}

/**
 * Waits until the rest of a request body nobody read has arrived (and throws it away), up to `limit`
 * bytes: an answer sent while the client is still writing can be lost to the connection's reset (Go's
 * server likewise reads what is left before closing). A body over the limit is not waited for.
 */
export function discardBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let size = 0;
    const done = (): void => {
      req.off('data', onData);
      resolve();
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) done();
    };
    req.on('data', onData);
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(errors.tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.destroy();
        reject(errors.tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Decodes a request body as JSON, or YAML when the content type says so. */
/** How a JSON syntax error in a body is said: kube-apiserver's words for an object body (a patch has its own). */
export type JsonSyntaxWording = (goError: string) => string;

const OBJECT_BODY: JsonSyntaxWording = (go) => `couldn't get version/kind; json parse error: ${go}`;

export function decodeBody(buf: Buffer, contentType: string | undefined, wording: JsonSyntaxWording = OBJECT_BODY): unknown {
  const ct = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (ct === PROTOBUF_CONTENT_TYPE) {
    try {
      return decodeKubernetesProtobuf(buf);
    } catch (e) {
      throw errors.badRequest((e as Error).message);
    }
  }
  const text = buf.toString('utf8');
  if (!text.trim()) throw errors.badRequest('the request body is empty');
  if (ct.endsWith('yaml')) {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw errors.badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    if (deeperThan(doc, MAX_NESTING_DEPTH)) throw errors.badRequest(`error converting YAML to JSON: yaml: exceeded max depth of ${MAX_NESTING_DEPTH}`);
    return doc;
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    throw errors.badRequest(wording(goJsonSyntaxError(text, e)));
  }
  // Each level of JSON takes an opening and a closing bracket: shorter bodies cannot be too deep, and skip the walk.
  if (text.length > 2 * MAX_NESTING_DEPTH && deeperThan(value, MAX_NESTING_DEPTH)) {
    throw errors.badRequest('couldn\'t get version/kind; json parse error: exceeded max depth');
  }
  return value;
}

/** Go's encoding/json (and so the API server's decoder) refuses bodies nested deeper than this. */
export const MAX_NESTING_DEPTH = 10_000;

/**
 * Whether objects and arrays nest deeper than `limit` (iterative: a body that would overflow a recursive walk is
 * refused, not crashed on). Callers with the text may skip it for bodies too short to nest that deep.
 */
export function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
