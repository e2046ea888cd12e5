// The query of a list or watch as Kubernetes' ListOptions: decoded (booleans by the one rule of
// query-bool.ts), validated as apimachinery's ValidateListOptions does (422 ListOptions.meta.k8s.io),
// and, for a watch of one object named in the path, narrowed to it by a metadata.name field selector.
import { parseFieldSelector, requiresExactMatch } from '../../api/fields';
import type { Cause } from '../../api/validation/cause';
import { forbidden, notSupported } from '../../api/validation/cause';
import { invalidMessage } from '../../api/validation/message';
import { errors } from '../status';
import { queryBool, queryFlag } from '../query-bool';
import type { ListQuery, WatchQuery } from '../registry/options';

const NOT_OLDER_THAN = 'NotOlderThan';

export function listQuery(q: URLSearchParams): ListQuery {
  const limit = q.get('limit');
  return {
    labelSelector: q.get('labelSelector') ?? undefined,
    fieldSelector: q.get('fieldSelector') ?? undefined,
    limit: limit ? Number(limit) : undefined,
    continue: q.get('continue') ?? undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
  };
}

/** The options of a list; throws 422 for combinations Kubernetes refuses. */
export function listOptions(q: URLSearchParams): ListQuery {
  const causes: Cause[] = [];
  const match = q.get('resourceVersionMatch') ?? '';
  if (match) {
    if (!q.get('resourceVersion')) causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (q.get('continue')) causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== NOT_OLDER_THAN) causes.push(notSupported('resourceVersionMatch', match, ['Exact', NOT_OLDER_THAN, '']));
    if (match === 'Exact' && q.get('resourceVersion') === '0') causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (queryBool(q, 'sendInitialEvents') !== undefined) causes.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  refuse(causes);
  return listQuery(q);
}

/**
 * The options of a watch; `name` is the object named in the path (the deprecated watch form), which
 * becomes a metadata.name field selector — or must agree with the one given (400 otherwise).
 */
export function watchOptions(q: URLSearchParams, name?: string): WatchQuery {
  const sendInitialEvents = queryBool(q, 'sendInitialEvents');
  const match = q.get('resourceVersionMatch') ?? '';
  const causes: Cause[] = [];
  if (sendInitialEvents !== undefined && match !== NOT_OLDER_THAN) {
    causes.push(forbidden('resourceVersionMatch', `sendInitialEvents requires setting resourceVersionMatch to ${NOT_OLDER_THAN}`));
  }
  if (match) {
    if (sendInitialEvents === undefined) causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    if (match !== NOT_OLDER_THAN) causes.push(notSupported('resourceVersionMatch', match, [NOT_OLDER_THAN]));
    if (q.get('continue')) causes.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  refuse(causes);
  const wq: WatchQuery = { ...listQuery(q), allowWatchBookmarks: queryFlag(q, 'allowWatchBookmarks'), sendInitialEvents };
  const ts = q.get('timeoutSeconds');
  if (ts) wq.timeoutSeconds = Number(ts);
  if (name !== undefined) wq.fieldSelector = nameSelector(wq.fieldSelector, name);
  return wq;
}

function nameSelector(given: string | undefined, name: string): string {
  if (!given?.trim()) return `metadata.name=${name}`;
  let selected: string | undefined;
  try {
    selected = requiresExactMatch(parseFieldSelector(given), 'metadata.name');
  } catch (e) {
    throw errors.badRequest((e as Error).message);
  }
  if (selected !== name) throw errors.badRequest("fieldSelector metadata.name doesn't match requested name");
  return given;
}

function refuse(causes: Cause[]): void {
  if (causes.length) throw errors.invalid('ListOptions', 'meta.k8s.io', '', invalidMessage('ListOptions', 'meta.k8s.io', '', causes), causes);
}
