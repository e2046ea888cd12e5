// The agent's informers: the client library's informer (main/client/cache) with the agent's watch
// settings — reconnect backoff while the SSH tunnel is down, and a watch silent for 90 s restarted
// (the server sends bookmarks more often, so silence means a dead connection); errors passed on throttled (error-throttle.ts).
import type { ApiClient, ResourceRef } from '../../../main/client/types';
import { Informer } from '../../../main/client/cache/informer';
import type { MetaObject } from '../../../main/client/cache/informer';
import { throttleErrors } from './error-throttle';

export const WATCH_IDLE_MS = 90_000;

export interface AgentInformerOptions {
  fieldSelector?: string;
  /** Only this namespace (default: all). */
  namespace?: string;
  /** First reconnect delay (ms). */
  backoffMs?: number;
  onError: (err: unknown) => void;
  /** The watch or list taken again after errors (the API server is back). */
  onRecover?: () => void;
}

export function agentInformer<T extends MetaObject>(client: ApiClient, resource: ResourceRef, o: AgentInformerOptions): Informer<T> {
  const { namespace, fieldSelector, backoffMs, onRecover } = o;
  const errors = throttleErrors(o.onError);
  return new Informer<T>(client, resource, {
    namespace, fieldSelector, backoffMs, idleTimeoutMs: WATCH_IDLE_MS, onError: errors.onError,
    onRecover: () => { errors.recovered(); onRecover?.(); },
  });
}
