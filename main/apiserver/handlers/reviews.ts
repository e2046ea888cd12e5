// The create-only review resources: SelfSubjectReview (`kubectl auth whoami`), TokenReview,
// SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview (`kubectl auth can-i`) and
// SelfSubjectRulesReview (`kubectl auth can-i --list`). Each answers the posted object with its status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceInfo } from '../../api/resources';
import type { NonResourceAttributes, ResourceAttributes, SubjectAccessReview } from '../../api/types';
import { invalidMessage } from '../../api/validation';
import { invalid, required } from '../../api/validation/cause';
import type { Cause } from '../../api/validation';
import type { ApiContext, AuthServices } from '../context';
import type { Identity } from '../auth';
import type { RequestInfo } from '../request';
import { decodeBody, isObject, readBody } from '../request';
import { errors } from '../status';
import type { Attributes } from '../authz/attributes';
import type { Subject } from '../authz/authorizer';
import { identityOf } from '../serviceaccount/authenticator';
import { API_AUDIENCES } from '../serviceaccount/issuer';
import { sendJson } from './respond';

type Body = Record<string, unknown> & { spec?: Record<string, unknown> };

function userInfo(u: Subject) {
  const out: Record<string, unknown> = { username: u.name, groups: [...u.groups] };
  if (u.uid) out.uid = u.uid;
  if (u.extra && Object.keys(u.extra).length) out.extra = u.extra;
  return out;
}

/** The authorizer's attributes of a SubjectAccessReview spec. */
function reviewAttributes(user: Subject, spec: Record<string, unknown>): Attributes {
  const ra = spec.resourceAttributes as ResourceAttributes | undefined;
  if (ra) {
    return {
      user, verb: ra.verb ?? '', resourceRequest: true, path: '', group: ra.group ?? '', version: ra.version ?? '', resource: ra.resource ?? '',
      subresource: ra.subresource ?? '', namespace: ra.namespace ?? '', name: ra.name ?? '',
    };
  }
  const nra = (spec.nonResourceAttributes ?? {}) as NonResourceAttributes;
  return { user, verb: nra.verb ?? '', resourceRequest: false, path: nra.path ?? '', group: '', version: '', resource: '', subresource: '', namespace: '', name: '' };
}

function checkAttributes(kind: string, spec: Record<string, unknown>): void {
  const causes: Cause[] = [];
  if (spec.resourceAttributes && spec.nonResourceAttributes) causes.push(invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) causes.push(required('spec.resourceAttributes', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  if (causes.length) throw errors.invalid(kind, 'authorization.k8s.io', '', invalidMessage(kind, 'authorization.k8s.io', '', causes), causes);
}

function accessStatus(auth: AuthServices, user: Subject, spec: Record<string, unknown>) {
  const a = reviewAttributes(user, spec);
  const d = auth.authorizer.decide(a);
  const status: SubjectAccessReview['status'] = { allowed: d.allowed };
  if (d.reason) status.reason = d.reason;
  return status;
}

type Review = (auth: AuthServices, body: Body, spec: Record<string, unknown>, identity: Identity, info: RequestInfo) => Promise<object>;

const REVIEWS: Record<string, Review> = {
  selfsubjectreviews: async (_a, _b, _s, identity) => ({ userInfo: userInfo(identity) }),
  tokenreviews: async (auth, _b, spec) => {
    const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? (spec.audiences as string[]) : undefined;
    // A static token (the admin's, a node's) is good for the API server's own audiences, as kube's audience-agnostic
    // token authenticators: a kubelet's TokenReview (no audiences) authenticates it as a request to the API would.
    const fixed = typeof spec.token === 'string' ? auth.staticTokens?.staticIdentity(spec.token) : undefined;
    const apiAudiences = audiences ? audiences.filter((a) => API_AUDIENCES.includes(a)) : [...API_AUDIENCES];
    if (fixed && apiAudiences.length) return { authenticated: true, user: userInfo(fixed), audiences: apiAudiences };
    const claims = typeof spec.token === 'string' ? await auth.serviceAccounts.validate(spec.token, audiences) : undefined;
    if (!claims) return { user: {}, error: '[invalid bearer token, service account token has been invalidated]' };
    return { authenticated: true, user: userInfo(identityOf(claims)), audiences: audiences ?? (Array.isArray(claims.aud) ? claims.aud : [claims.aud]) };
  },
  selfsubjectaccessreviews: async (auth, _b, spec, identity) => {
    checkAttributes('SelfSubjectAccessReview', spec);
    return accessStatus(auth, identity, spec);
  },
  subjectaccessreviews: async (auth, _b, spec) => {
    checkAttributes('SubjectAccessReview', spec);
    const user = typeof spec.user === 'string' ? spec.user : '';
    const groups = Array.isArray(spec.groups) ? (spec.groups as string[]) : [];
    if (!user && !groups.length) {
      const causes = [required('spec.user', 'at least one of user or group must be specified')];
      throw errors.invalid('SubjectAccessReview', 'authorization.k8s.io', '', invalidMessage('SubjectAccessReview', 'authorization.k8s.io', '', causes), causes);
    }
    return accessStatus(auth, { name: user, groups, uid: typeof spec.uid === 'string' ? spec.uid : undefined }, spec);
  },
  localsubjectaccessreviews: async (auth, body, spec, _i, info) => {
    const ra = spec.resourceAttributes as ResourceAttributes | undefined;
    if (ra && ra.namespace !== info.namespace) {
      const causes = [invalid('spec.resourceAttributes.namespace', ra.namespace ?? '', 'must match metadata.namespace')];
      throw errors.invalid('LocalSubjectAccessReview', 'authorization.k8s.io', '', invalidMessage('LocalSubjectAccessReview', 'authorization.k8s.io', '', causes), causes);
    }
    return REVIEWS.subjectaccessreviews(auth, body, spec, _i, info);
  },
  selfsubjectrulesreviews: async (auth, _b, spec, identity) => auth.authorizer.rulesFor(identity, typeof spec.namespace === 'string' ? spec.namespace : ''),
};

export async function handleReview(
  ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ResourceInfo, identity: Identity,
): Promise<void> {
  if (!ctx.auth) throw errors.unavailable('reviews are not served');
  if (info.verb !== 'create') throw errors.methodNotSupported(r.group, r.plural, info.verb);
  const raw = decodeBody(await readBody(req), req.headers['content-type']);
  if (!isObject(raw)) throw errors.badRequest(`the body is not a ${r.kind}`);
  const body = raw as Body;
  const spec = body.spec ?? {};
  const status = await REVIEWS[r.plural](ctx.auth, body, spec, identity, info);
  const metadata = { ...((body.metadata as object | undefined) ?? {}) } as Record<string, unknown>;
  if (r.namespaced) metadata.namespace = info.namespace;
  sendJson(res, 201, { kind: r.kind, apiVersion: `${r.group}/${r.version}`, metadata, spec: r.plural === 'selfsubjectreviews' ? undefined : spec, status });
}
