// Options of registry calls, shared by the HTTP handlers and the in-process client.
import type { Requester } from '../authz/escalation';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  /** The body was decoded for this call alone (an HTTP request's): the registry changes it instead of a copy. */
  bodyOwned?: boolean;
  /** The user writing over the API, checked by the kind's strategy (checkRequester); in-process writes have none. */
  requester?: Requester;
}

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  /** 'Exact': the list as it was at resourceVersion (410 once compacted); 'NotOlderThan' or unset: the current state. */
  resourceVersionMatch?: string;
}

export interface WatchQuery extends ListQuery {
  allowWatchBookmarks?: boolean;
  /** Start with the current state (true) or never (false); unset: only when no resourceVersion is given. */
  sendInitialEvents?: boolean;
  /** Stop after this many seconds (the stream then ends cleanly). */
  timeoutSeconds?: number;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  /** The user deleting over the API (admission webhooks see it); in-process deletes have none. */
  requester?: Requester;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

export interface WriteResult<T> {
  object: T;
  warnings: string[];
}
