// Lists of a resource: label and field selection, and pages (limit/continue) read at one revision.
import type { Store } from '../../store/types';
import { StoreError } from '../../store/types';
import type { KList, StoredObject } from '../../api/types';
import type { ResourceInfo } from '../../api/resources';
import { apiVersionOf, storagePrefix } from '../../api/resources';
import { ApiError, errors } from '../status';
import { decode } from './objects';
import type { ListQuery } from './options';
import { compileSelection } from './selection';
import { customFieldLabels } from '../../api/fields';

interface ContinueToken {
  rv: number;
  start: string;
}

function parseContinue(token: string): ContinueToken {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
  } catch {
    throw errors.badRequest('continue key is not valid: illegal base64 data');
  }
}

/**
 * resourceVersionMatch=Exact: the revision to read at (the list as it was then), checked as etcd does: compacted
 * is 410 with the etcd3 store's message, a future one kube-apiserver's "Too large resource version" (504).
 */
function exactRevision(store: Store, q: ListQuery): number | undefined {
  if (q.resourceVersionMatch !== 'Exact' || q.continue) return undefined;
  const rv = Number(q.resourceVersion);
  if (!/^\d+$/.test(q.resourceVersion ?? '') || !Number.isSafeInteger(rv)) {
    throw errors.badRequest(`invalid resource version: ${q.resourceVersion ?? ''}`);
  }
  if (rv < store.compactRevision) throw errors.gone(LIST_EXPIRED);
  if (rv > store.revision) {
    throw new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${rv}, current: ${store.revision}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1,
    });
  }
  return rv;
}

/** etcd3's message for a list at a compacted revision. */
const LIST_EXPIRED = 'The resourceVersion for the provided list is too old.';

export function listObjects(store: Store, r: ResourceInfo, namespace: string | undefined, q: ListQuery): KList<StoredObject> {
  const pred = compileSelection(r.kind, q.labelSelector, q.fieldSelector, customFieldLabels(r));
  const token = q.continue ? parseContinue(q.continue) : undefined;
  const exact = exactRevision(store, q);
  let revision = token?.rv ?? exact;
  let startAfter = token?.start;
  const prefix = storagePrefix(r, r.namespaced ? namespace : undefined);
  const limit = q.limit && q.limit > 0 ? q.limit : undefined;
  const items: StoredObject[] = [];
  let more = false;
  let listRev = revision ?? store.revision;
  try {
    for (;;) {
      const page = store.list(prefix, { revision, startAfter, limit: limit ? limit - items.length : undefined });
      listRev = page.revision;
      revision = page.revision;
      for (const kv of page.items) {
        const obj = decode(kv);
        if (!pred || pred(obj)) items.push(obj);
        startAfter = kv.key;
      }
      if (!page.more) break;
      if (limit && items.length >= limit) {
        more = true;
        break;
      }
    }
  } catch (e) {
    if (e instanceof StoreError && e.code === 'Compacted') {
      if (exact !== undefined) throw errors.gone(LIST_EXPIRED);
      throw errors.gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
    }
    throw e;
  }
  const metadata: KList['metadata'] = { resourceVersion: String(listRev) };
  if (more && startAfter) {
    metadata.continue = Buffer.from(JSON.stringify({ rv: listRev, start: startAfter })).toString('base64url');
  }
  return { apiVersion: apiVersionOf(r), kind: r.listKind, metadata, items };
}
