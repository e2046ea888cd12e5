// serviceaccounts/token (TokenRequest): a token for the service account, for the requested
// audiences (default: the API server's) and duration (default 1 h, at least 10 min), optionally
// bound to a Pod or Secret of the namespace, so that it stops working when that object goes. A
// node's agent may only request tokens bound to a pod on its node (NodeRestriction).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceInfo } from '../../api/resources';
import { resourceFor } from '../../api/resources';
import type { Pod, StoredObject, TokenRequest } from '../../api/types';
import { invalid } from '../../api/validation/cause';
import { invalidMessage } from '../../api/validation';
import type { ApiContext } from '../context';
import type { Identity } from '../auth';
import type { RequestInfo } from '../request';
import { decodeBody, isObject, readBody } from '../request';
import { errors } from '../status';
import { timestamp } from '../registry/objects';
import { API_AUDIENCES } from '../serviceaccount/issuer';
import type { KubernetesClaim } from '../serviceaccount/issuer';
import { sendJson } from './respond';

const DEFAULT_SECONDS = 3600;
const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;
/** What the kubelet asks for; such a pod-bound token is valid for a year (--service-account-extend-token-expiration). */
const KUBELET_SECONDS = 3607;
const EXTENDED_SECONDS = 365 * 24 * 3600;
const PODS = resourceFor('', 'v1', 'pods')!;
const SECRETS = resourceFor('', 'v1', 'secrets')!;
const NODES = resourceFor('', 'v1', 'nodes')!;

function bound(ctx: ApiContext, namespace: string, saName: string, ref: NonNullable<TokenRequest['spec']['boundObjectRef']>, claim: KubernetesClaim): StoredObject {
  const r = ref.kind === 'Pod' ? PODS : ref.kind === 'Secret' ? SECRETS : undefined;
  if (!r) throw errors.badRequest(`cannot bind token to object of type ${ref.kind ?? ''}`);
  const obj = ctx.registry.get(r, namespace, ref.name ?? '');
  if (ref.uid && ref.uid !== obj.metadata.uid) {
    throw errors.conflict(r.group, r.plural, ref.name ?? '', `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  const ownRef = { name: obj.metadata.name, uid: obj.metadata.uid };
  if (ref.kind === 'Pod') {
    const pod = obj as StoredObject & Pod;
    if ((pod.spec?.serviceAccountName ?? 'default') !== saName) {
      throw errors.badRequest(`cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`);
    }
    claim.pod = ownRef;
    const node = pod.spec?.nodeName ? ctx.registry.tryGet(NODES, undefined, pod.spec.nodeName) : undefined;
    if (node) claim.node = { name: node.metadata.name, uid: node.metadata.uid };
  } else {
    claim.secret = ownRef;
  }
  return obj;
}

export async function handleTokenRequest(
  ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ResourceInfo, identity: Identity,
): Promise<void> {
  if (!ctx.auth) throw errors.unavailable('service-account tokens are not served');
  const namespace = info.namespace ?? 'default';
  const name = info.name!;
  const raw = decodeBody(await readBody(req), req.headers['content-type']);
  if (!isObject(raw)) throw errors.badRequest('the body is not a TokenRequest');
  const sa = ctx.registry.get(r, namespace, name);
  const tr = raw as unknown as TokenRequest;
  const spec = { ...(tr.spec ?? {}) };
  const seconds = spec.expirationSeconds ?? DEFAULT_SECONDS;
  const causes = [];
  if (seconds < MIN_SECONDS) causes.push(invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes'));
  if (seconds > MAX_SECONDS) causes.push(invalid('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds'));
  if (causes.length) throw errors.invalid('TokenRequest', 'authentication.k8s.io', name, invalidMessage('TokenRequest', 'authentication.k8s.io', name, causes), causes);
  const claim: KubernetesClaim = { namespace, serviceaccount: { name, uid: sa.metadata.uid } };
  const ref = spec.boundObjectRef;
  if (ref) bound(ctx, namespace, name, ref, claim);
  if (identity.node) {
    if (!claim.pod) throw errors.forbidden('', 'serviceaccounts', name, 'node requested token not bound to a pod');
    const pod = ctx.registry.get(PODS, namespace, claim.pod.name) as StoredObject & Pod;
    if (pod.spec?.nodeName !== identity.node) throw errors.forbidden('', 'serviceaccounts', name, 'node requested token bound to a pod scheduled on a different node');
  }
  const audiences = spec.audiences?.length ? spec.audiences : [...API_AUDIENCES];
  const now = new Date();
  const extended = claim.pod && seconds === KUBELET_SECONDS;
  if (extended) claim.warnafter = Math.floor(now.getTime() / 1000) + seconds;
  const { token } = await ctx.auth.issuer.issue({ claim, audiences, expirationSeconds: extended ? EXTENDED_SECONDS : seconds, now });
  const out: TokenRequest = {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { name, namespace, creationTimestamp: timestamp(now) },
    spec: { ...spec, audiences, expirationSeconds: seconds },
    status: { token, expirationTimestamp: timestamp(new Date(now.getTime() + seconds * 1000)) },
  };
  sendJson(res, 201, out);
}
