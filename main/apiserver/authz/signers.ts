// Kubernetes' certificates.IsAuthorizedForSignerName: a user may act on a signer (verb `approve` for the
// approval of a CertificateSigningRequest, `sign` for its status) when authorized for that verb on the
// `signers` resource of certificates.k8s.io named by the signerName, or by its domain's wildcard `<domain>/*`.
import type { Requester } from './escalation';

const CERTIFICATES = 'certificates.k8s.io';

function allowedOn(req: Requester, verb: string, name: string): boolean {
  return req.authorizer.decide({
    user: req.user, verb, group: CERTIFICATES, version: '*', resource: 'signers', name, namespace: '', subresource: '', resourceRequest: true, path: '',
  }).allowed;
}

export function isAuthorizedForSignerName(req: Requester, verb: string, signerName: string): boolean {
  return allowedOn(req, verb, signerName) || allowedOn(req, verb, `${signerName.split('/')[0]}/*`);
}
