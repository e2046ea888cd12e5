// Impersonation (Impersonate-User, Impersonate-Group, Impersonate-Uid, Impersonate-Extra-*): the
// requester must be allowed to `impersonate` each user, service account, group, uid and extra it
// names; the request then runs as that user, as `kubectl --as/--as-group` expect.
import type { IncomingMessage } from 'node:http';
import { errors } from '../status';
import type { Attributes } from './attributes';
import type { Authorizer, Subject } from './authorizer';
import { parseServiceAccountUser, serviceAccountGroups } from '../serviceaccount/authenticator';

const AUTHENTICATED = 'system:authenticated';
const UNAUTHENTICATED = 'system:unauthenticated';
const EXTRA_PREFIX = 'impersonate-extra-';

function values(req: IncomingMessage, header: string): string[] {
  return req.headersDistinct[header] ?? [];
}

/** Does any header start with `Impersonate-`? (Most requests: no, and then nothing else is parsed.) */
function asksImpersonation(req: IncomingMessage): boolean {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length >= 12 && name.slice(0, 12).toLowerCase() === 'impersonate-') return true;
  }
  return false;
}

/** The user the request acts as: the requester, or whom it impersonates (checked against `authz`). */
export function actingAs(req: IncomingMessage, requester: Subject, authz: Authorizer): Subject {
  if (!asksImpersonation(req)) return requester;
  const user = values(req, 'impersonate-user')[0];
  const groups = values(req, 'impersonate-group');
  const uid = values(req, 'impersonate-uid')[0];
  const extraKeys = Object.keys(req.headersDistinct).filter((h) => h.startsWith(EXTRA_PREFIX));
  if (user === undefined) {
    if (groups.length || uid !== undefined || extraKeys.length) throw errors.internal('requested impersonation without impersonating a user');
    return requester;
  }
  const check = (a: Omit<Attributes, 'user' | 'verb' | 'resourceRequest' | 'path' | 'version' | 'subresource'> & { subresource?: string }) =>
    authz.authorize({ subresource: '', ...a, user: requester, verb: 'impersonate', resourceRequest: true, path: '', version: 'v1' });
  const sa = parseServiceAccountUser(user);
  let impersonatedGroups = [...groups];
  if (sa) {
    check({ group: '', resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name });
    if (!groups.length) impersonatedGroups = serviceAccountGroups(sa.namespace);
  } else {
    check({ group: '', resource: 'users', namespace: '', name: user });
  }
  for (const g of groups) check({ group: '', resource: 'groups', namespace: '', name: g });
  if (uid !== undefined) check({ group: 'authentication.k8s.io', resource: 'uids', namespace: '', name: uid });
  const extra: Record<string, string[]> = {};
  for (const h of extraKeys) {
    const key = unescapeExtraKey(h.slice(EXTRA_PREFIX.length));
    for (const v of values(req, h)) check({ group: 'authentication.k8s.io', resource: 'userextras', subresource: key, namespace: '', name: v });
    extra[key] = values(req, h);
  }
  if (user !== 'system:anonymous' && !impersonatedGroups.some((g) => g === AUTHENTICATED || g === UNAUTHENTICATED)) impersonatedGroups.push(AUTHENTICATED);
  const node = /^system:node:(.+)$/.exec(user)?.[1];
  const acting: Subject = { name: user, groups: impersonatedGroups, extra };
  if (uid !== undefined) acting.uid = uid;
  if (node && impersonatedGroups.includes('system:nodes')) acting.node = node;
  return acting;
}

/** The extra's key unescaped; a malformed escape is kept as sent (Kubernetes' unescapeExtraKey). */
function unescapeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}
