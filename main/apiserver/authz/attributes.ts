// What an authorizer decides on (Kubernetes' authorizer.Attributes): who, and either a resource
// request (verb, group, resource, subresource, namespace, name) or a non-resource one (verb, path).
import type { RequestInfo } from '../request';
import { parseFieldSelector, requiresExactMatch } from '../../api/fields';

/** The authenticated (or impersonated) user. */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: readonly string[];
  extra?: Readonly<Record<string, readonly string[]>>;
}

export interface Attributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  /** Non-resource requests: the URL path. */
  path: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

/** Non-resource verbs are the lower-cased HTTP method (get, post, put, patch, delete, head, options). */
export function attributesOf(user: UserInfo, info: RequestInfo, method: string): Attributes {
  if (!info.isResource) {
    return { user, verb: method.toLowerCase(), resourceRequest: false, path: info.path, group: '', version: '', resource: '', subresource: '', namespace: '', name: '' };
  }
  return {
    user, verb: info.verb, resourceRequest: true, path: info.path, group: info.group, version: info.version, resource: info.resource,
    subresource: info.subresource ?? '', namespace: info.namespace ?? '', name: info.name ?? nameSelected(info),
  };
}

/**
 * A list or watch of one object by the field selector metadata.name=<name> names it (Kubernetes'
 * RequestInfoFactory): its name when it is a valid path segment, otherwise ''.
 */
function nameSelected(info: RequestInfo): string {
  if (info.verb !== 'list' && info.verb !== 'watch') return '';
  const given = info.query.get('fieldSelector');
  if (!given) return '';
  let name: string | undefined;
  try {
    name = requiresExactMatch(parseFieldSelector(given), 'metadata.name');
  } catch {
    return '';
  }
  return name && name !== '.' && name !== '..' && !/[/%]/.test(name) ? name : '';
}

/** The message of a denial (apiserver's forbiddenMessage). */
export function forbiddenMessage(a: Attributes): string {
  const user = JSON.stringify(a.user.name);
  if (!a.resourceRequest) return `User ${user} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  return `User ${user} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.group)} ${where}`;
}
