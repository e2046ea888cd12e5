// The API client contract used by controllers, the scheduler, the bridge, the CLI and the agent.
// Two implementations: HTTP (http.ts, for other processes and nodes) and in-process (local.ts).
// This module and http.ts import no runtime code from the rest of main/, so the agent bundles them.
import type { ApiObject, KList, KObject, Status, WatchEvent } from '../api/types';

/** Which resource: the same fields as ResourceInfo, so a ResourceInfo can be passed directly. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** With resourceVersionMatch 'Exact': the list as it was at this resourceVersion (time travel). */
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  /** Called once the server has taken the watch (its answer began): the stream is live, whether or not events follow. */
  onOpen?: () => void;
}

export interface WriteOpts {
  namespace?: string;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  dryRun?: boolean;
  subresource?: 'status' | 'scale' | 'finalize';
}

export interface PatchOpts extends WriteOpts {
  force?: boolean;
}

export interface DeleteOpts {
  namespace?: string;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_MEDIA_TYPES: Record<PatchKind, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** A failed API call: the HTTP code and the Status the server sent. */
export class ClientError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly status?: Status) {
    super(message);
    this.name = 'ClientError';
  }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof ClientError && e.code === 404;
}
export function isConflict(e: unknown): boolean {
  return e instanceof ClientError && e.code === 409;
}
export function isAlreadyExists(e: unknown): boolean {
  return e instanceof ClientError && e.reason === 'AlreadyExists';
}

export interface WatchHandle {
  /** Stops the watch; onClose is not called after this. */
  stop(): void;
}

export interface ApiClient {
  get<T extends ApiObject = KObject>(r: ResourceRef, name: string, namespace?: string): Promise<T>;
  list<T extends ApiObject = KObject>(r: ResourceRef, opts?: ListOptions): Promise<KList<T>>;
  create<T extends ApiObject = KObject>(r: ResourceRef, obj: T, opts?: WriteOpts): Promise<T>;
  /** PUT of the whole object (or its status with opts.subresource = 'status'); metadata.resourceVersion is a precondition when set. */
  update<T extends ApiObject = KObject>(r: ResourceRef, obj: T, opts?: WriteOpts): Promise<T>;
  patch<T extends ApiObject = KObject>(r: ResourceRef, name: string, patch: unknown, kind: PatchKind, opts?: PatchOpts): Promise<T>;
  delete(r: ResourceRef, name: string, opts?: DeleteOpts): Promise<KObject>;
  /**
   * Watches from opts.resourceVersion (or from now, with ADDED events for what exists). Events
   * arrive in order; onClose is called once when the server ends the stream or it fails
   * (a 410 Expired arrives as a ClientError with code 410).
   */
  watch<T extends ApiObject = KObject>(r: ResourceRef, opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void, onClose: (err?: Error) => void): WatchHandle;
  /**
   * GET of a path under an object that is no subresource of a stored kind: custom.metrics.k8s.io's
   * `<resource>/<name>/<metric>` (the name `*` for every pod a label selector picks), served by an aggregated API
   * server. Absent on a client that cannot reach one.
   */
  getPath?<T>(r: ResourceRef, name: string, rest: string, o?: { namespace?: string; query?: Record<string, string | undefined> }): Promise<T>;
  /** POST pods/binding. */
  bind(namespace: string, pod: string, node: string): Promise<void>;
  /** POST pods/eviction. */
  evict(namespace: string, pod: string, gracePeriodSeconds?: number): Promise<void>;
  /**
   * For a client of a server across a network: calls `cb` once the server takes connections again after one failed
   * to connect or was dropped (reflectors retry then instead of at their next back-off step); returns a disposer.
   */
  whenReachable?(cb: () => void): () => void;
}
