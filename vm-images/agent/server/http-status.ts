// Errors the agent's server answers with: Kubernetes Status objects (the control plane passes them on).
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { endWithResponse } from '../../../main/protocol/raw-response';

export type AgentReason = 'BadRequest' | 'NotFound' | 'Unauthorized' | 'Forbidden' | 'InternalError' | 'MethodNotAllowed' | 'Conflict';

export class AgentHttpError extends Error {
  /** plain: the body is the message as text, as the kubelet's authentication and authorization answers are. */
  constructor(readonly code: number, readonly reason: AgentReason, message: string, readonly plain = false) {
    super(message);
  }
}

export const badRequest = (m: string): AgentHttpError => new AgentHttpError(400, 'BadRequest', m);
export const notFound = (m: string): AgentHttpError => new AgentHttpError(404, 'NotFound', m);

export function statusBody(err: AgentHttpError): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason, code: err.code });
}

export function toAgentError(e: unknown): AgentHttpError {
  if (e instanceof AgentHttpError) return e;
  return new AgentHttpError(500, 'InternalError', e instanceof Error ? e.message : String(e));
}

/** A whole answer at once: status, content type and a body of known length. */
export function sendBody(res: ServerResponse, code: number, type: string, body: string): void {
  res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendJson(res: ServerResponse, code: number, value: unknown): void {
  sendBody(res, code, 'application/json', JSON.stringify(value));
}

const PLAIN_TEXT = 'text/plain; charset=utf-8';

export function sendError(res: ServerResponse, e: unknown): void {
  const err = toAgentError(e);
  if (res.headersSent) { res.destroy(); return; }
  if (err.plain) sendBody(res, err.code, PLAIN_TEXT, err.message);
  else sendBody(res, err.code, 'application/json', statusBody(err));
}

/** Refuses an upgrade request with a plain HTTP error response. */
export function rejectUpgrade(socket: Duplex, e: unknown): void {
  const err = toAgentError(e);
  const body = err.plain ? err.message : statusBody(err);
  const type = err.plain ? PLAIN_TEXT : 'application/json';
  endWithResponse(socket, err.code, type, body, { reason: err.reason });
}
