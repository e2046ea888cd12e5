// csrsigning (pkg/controller/certificates/signer): issues the certificates of approved CertificateSigningRequests
// for the signers this cluster runs — kubernetes.io/kube-apiserver-client, whose certificates the API server accepts
// as client certificates (CN the user, O the groups). A request that is denied, failed or already issued is left
// alone; one whose usages the signer does not allow gets a Failed condition (SignerValidationFailure) instead.
// The signing itself (the CA key) is the API server's: it is handed in as `sign`.
import type { CertificateSigningRequest, CertificateSigningRequestCondition, KObject } from '../api/types';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';

export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

/** Signs a request (spec.request, base64 PEM) for its usages and duration; answers status.certificate (base64 PEM). */
export type CsrSigner = (req: { request: string; usages: readonly string[]; expirationSeconds?: number }) => Promise<string>;

/** The usages each signer allows (validAPIServerClientUsages), and the one it requires. */
const SIGNERS: Record<string, { allowed: readonly string[]; what: string }> = {
  [KUBE_APISERVER_CLIENT_SIGNER]: { allowed: ['digital signature', 'key encipherment', 'client auth'], what: 'client' },
};

type Csr = CertificateSigningRequest & KObject;

function has(csr: Csr, type: string): boolean {
  return (csr.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** Why the signer refuses the request, if it does. */
function refusal(csr: Csr): string | undefined {
  const signer = SIGNERS[csr.spec.signerName];
  const bad = csr.spec.usages?.find((u) => !signer.allowed.includes(u));
  return bad === undefined ? undefined : `invalid usage for ${signer.what} certificate: ${bad}`;
}

export function newCsrSigningController(ctx: ControllerContext, sign: CsrSigner): Controller {
  const { client, informers } = ctx;
  const csrs = informers.informer('certificatesigningrequests');

  async function reconcile(name: string): Promise<void> {
    const csr = csrs.get(name) as Csr | undefined;
    if (!csr || !SIGNERS[csr.spec?.signerName]) return;
    if (!has(csr, 'Approved') || has(csr, 'Denied') || has(csr, 'Failed') || csr.status?.certificate) return;
    const why = refusal(csr);
    if (why) {
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const failed: CertificateSigningRequestCondition = {
        type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: why, lastUpdateTime: now, lastTransitionTime: now,
      };
      await client.update(R.certificatesigningrequests, { ...csr, status: { ...csr.status, conditions: [...(csr.status?.conditions ?? []), failed] } }, { subresource: 'status' });
      return;
    }
    const certificate = await sign({ request: csr.spec.request, usages: csr.spec.usages ?? [], expirationSeconds: csr.spec.expirationSeconds });
    await client.update(R.certificatesigningrequests, { ...csr, status: { ...csr.status, certificate } }, { subresource: 'status' });
  }

  return newReconciler(ctx, 'csrsigning').for('certificatesigningrequests').complete(reconcile);
}
