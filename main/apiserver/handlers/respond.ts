// Writing replies: JSON objects, Status errors, and the Warning headers of field validation.
import type { ServerResponse } from 'node:http';
import type { ApiError } from '../status';

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // As apiserver's ErrorNegotiated: a 429 or 5xx that says when to retry says it in Retry-After too.
  const retry = err.details?.retryAfterSeconds;
  if (retry && (err.code === 429 || err.code >= 500)) res.setHeader('Retry-After', String(retry));
  sendJson(res, err.code, err.toStatus());
}

/** Adds Warning headers (after those already set). */
export function addWarnings(res: ServerResponse, warnings: string[]): void {
  if (!warnings.length) return;
  const had = res.getHeader('Warning');
  const before = Array.isArray(had) ? had : had === undefined ? [] : [String(had)];
  res.setHeader('Warning', [...before, ...warnings.map((w) => `299 - ${JSON.stringify(w)}`)]);
}
