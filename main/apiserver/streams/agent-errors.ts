// Turning what the agent answered (a Status JSON, or anything else) into the API's errors.
import type { Duplex } from 'node:stream';
import { endWithResponse } from '../../protocol/raw-response';
import { ApiError, errors, type StatusDetails, type StatusReason } from '../status';

const REASONS: ReadonlySet<string> = new Set<StatusReason>(['NotFound', 'BadRequest', 'Unauthorized', 'Forbidden', 'InternalError', 'MethodNotAllowed', 'ServiceUnavailable', 'Timeout']);

function isReason(s: unknown): s is StatusReason {
  return typeof s === 'string' && REASONS.has(s);
}

export function agentStatusError(code: number, body: string): ApiError {
  let parsed: unknown;
  try { parsed = JSON.parse(body); } catch { parsed = undefined; }
  if (typeof parsed === 'object' && parsed !== null) {
    const o = parsed as Record<string, unknown>;
    const message = typeof o.message === 'string' ? o.message : body;
    if (code === 401) return errors.internal(`the node's agent rejected the control plane's credentials: ${message}`);
    // The agent's details (if any) are passed on; reasons Kubernetes always details get at least `{}`.
    const details = typeof o.details === 'object' && o.details !== null ? (o.details as StatusDetails) : undefined;
    if (isReason(o.reason)) return new ApiError(code, o.reason, message, details);
    return code >= 500 ? errors.internal(message) : errors.badRequest(message);
  }
  return errors.internal(`the node's agent answered ${code}: ${body.trim()}`);
}

export function nodeUnreachable(node: string, e: unknown): ApiError {
  return errors.unavailable(`no connection to node "${node}": ${e instanceof Error ? e.message : String(e)}`);
}

/**
 * A refused upgrade the agent answered as the kubelet answers its own (plain text, e.g. `container not found ("app")`
 * with 500), written back to the client as it came, as kube-apiserver's upgrade-aware proxy echoes the kubelet's
 * response: kubectl then says `unable to upgrade connection: <the text>`. Its refusals of the control plane's
 * credentials (401, 403) and Status answers are not echoed (agentStatusError makes them the API's errors). Whether
 * it was written.
 */
export function echoAgentRefusal(socket: Duplex, code: number, body: string): boolean {
  if (code === 401 || code === 403 || code < 400 || body.trimStart().startsWith('{')) return false;
  endWithResponse(socket, code, 'text/plain; charset=utf-8', body);
  return true;
}
