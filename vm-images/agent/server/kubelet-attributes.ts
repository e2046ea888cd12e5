// What a request to the kubelet's secure port asks for, as the kubelet's authorizer sees it (pkg/kubelet/server/auth.go,
// without the KubeletFineGrainedAuthz gate, off in 1.32): the verb from the HTTP method and, on the node's own Node
// object, the subresource from the path — stats, metrics, log (/logs), spec, checkpoint, and proxy for everything else.

/** The resource attributes of a SubjectAccessReview about a kubelet request. */
export interface KubeletRequestAttributes {
  verb: string;
  resource: 'nodes';
  subresource: string;
  name: string;
}

const VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** The kubelet's isSubpath: the path itself or anything under it. */
function isSubpath(path: string, of: string): boolean {
  const base = of.replace(/\/$/, '');
  return path === base || (path.startsWith(base) && path[base.length] === '/');
}

const SUBRESOURCES: readonly (readonly [string, string])[] = [
  ['/stats/', 'stats'], ['/metrics', 'metrics'], ['/logs/', 'log'], ['/checkpoint/', 'checkpoint'], ['/spec/', 'spec'],
];

export function kubeletRequestAttributes(method: string, path: string, nodeName: string): KubeletRequestAttributes {
  const subresource = SUBRESOURCES.find(([p]) => isSubpath(path, p))?.[1] ?? 'proxy';
  // An unknown method is no verb at all (the kubelet's apiVerb stays ""), which no rule allows.
  return { verb: VERBS[method] ?? '', resource: 'nodes', subresource, name: nodeName };
}

/** The kubelet's 403 body. */
export function kubeletForbidden(user: string, a: KubeletRequestAttributes): string {
  return `Forbidden (user=${user}, verb=${a.verb}, resource=${a.resource}, subresource=${a.subresource})`;
}

/** The kubelet's 500 body when the authorization check itself failed. */
export function kubeletAuthorizationError(user: string, a: KubeletRequestAttributes): string {
  return `Authorization error (user=${user}, verb=${a.verb}, resource=${a.resource}, subresource=${a.subresource})`;
}
