// CertificateSigningRequests (pkg/registry/certificates/certificates/strategy.go): a create records who asked
// (spec.username, uid, groups, extra — from the request's user, whatever the body says) and must carry a
// well-formed, correctly signed PKCS#10 request; the main resource never changes spec or status afterwards;
// the approval subresource changes only the Approved/Denied conditions, the status subresource the rest of status.
// A user's approval write needs the `approve` verb on the request's signer (plugin/pkg/admission/certificates/approval).
import type { CertificateSigningRequest, KObject, StoredObject } from '../../../api/types';
import type { Strategy } from '../strategy';
import { invalid } from '../../../api/validation/cause';
import { goQuote } from '../../../api/validation/gofmt';
import { throwIfInvalid } from '../body';
import { storedResourceOfKind } from '../../../api/resources';
import { parseCertificateRequest } from '../../csr-request';
import { isAuthorizedForSignerName } from '../../authz/signers';
import { errors } from '../../status';

type Csr = CertificateSigningRequest & KObject;
const APPROVAL = new Set(['Approved', 'Denied']);

function checkRequest(obj: KObject): void {
  const request = (obj as Csr).spec?.request ?? '';
  try {
    parseCertificateRequest(Buffer.from(request, 'base64').toString('latin1'));
  } catch (e) {
    throwIfInvalid(storedResourceOfKind('CertificateSigningRequest')!, obj, [invalid('spec.request', request, (e as Error).message)]);
  }
}

/** The approval subresource: Approved/Denied conditions from the write, every other condition and the rest as stored. */
function withApprovalOf(current: StoredObject, next: KObject): KObject {
  const cur = current as StoredObject & Csr;
  const kept = (cur.status?.conditions ?? []).filter((c) => !APPROVAL.has(c.type));
  const approval = ((next as Csr).status?.conditions ?? []).filter((c) => APPROVAL.has(c.type));
  return { ...cur, metadata: { ...cur.metadata }, status: { ...cur.status, conditions: [...kept, ...approval] } };
}

export const csrStrategy: Strategy = {
  subresourceUpdates: { approval: withApprovalOf },
  checkRequester(obj, old, requester) {
    if (old) return;
    const spec = ((obj as Csr).spec ??= {} as Csr['spec']);
    const user = requester.user;
    spec.username = user.name;
    if (user.uid) spec.uid = user.uid;
    else delete spec.uid;
    spec.groups = [...user.groups];
    if (user.extra && Object.keys(user.extra).length) spec.extra = Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]]));
    else delete spec.extra;
  },
  checkSubresourceRequester(subresource, next, _old, requester) {
    if (subresource !== 'approval') return;
    const signerName = (next as Csr).spec?.signerName ?? '';
    if (isAuthorizedForSignerName(requester, 'approve', signerName)) return;
    throw errors.forbidden('certificates.k8s.io', 'certificatesigningrequests', next.metadata?.name ?? '',
      `user not permitted to approve requests with signerName ${goQuote(signerName)}`);
  },
  beforeCreate: checkRequest,
  prepareForUpdate(next, current) {
    (next as Csr).spec = (current as StoredObject & Csr).spec;
  },
};
