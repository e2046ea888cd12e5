// CertificateSigningRequests: NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION (printCertificateSigningRequest).
import type { CertificateSigningRequest } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';
import { humanDuration } from './duration';

/** extractCSRStatus: Denied over Approved over Pending, then Failed and Issued. */
export function csrCondition(csr: Partial<CertificateSigningRequest>): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (csr.status?.certificate) status += ',Issued';
  return status;
}

export const certificateSigningRequestTable = defineTable<CertificateSigningRequest>({
  columns: [
    nameColumn,
    ageColumn,
    { name: 'SignerName', type: 'string', description: 'Only one signer is supported for the time being.', cell: (c) => c.spec?.signerName || '<none>' },
    { name: 'Requestor', type: 'string', description: 'Name of the user that created the request.', cell: (c) => c.spec?.username ?? '' },
    {
      name: 'RequestedDuration', type: 'string', description: 'Requested duration of the issued certificate.',
      cell: (c) => (c.spec?.expirationSeconds === undefined ? '<none>' : humanDuration(c.spec.expirationSeconds * 1000)),
    },
    { name: 'Condition', type: 'string', description: 'Condition of the request.', cell: (c) => csrCondition(c) },
  ],
});
