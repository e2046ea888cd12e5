// A failed connection worded as Go's HTTP client words it (`dial tcp 10.96.0.20:443: connect: connection refused`,
// `tls: failed to verify certificate: x509: …`), for the calls the API server makes itself: webhooks and the aggregator.

/** `hostPort` as net.JoinHostPort writes it; `hostname` the name dialed and verified. */
export function goDialError(e: unknown, hostPort: string, hostname: string): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ECONNREFUSED': return `dial tcp ${hostPort}: connect: connection refused`;
    case 'ENOTFOUND': return `dial tcp: lookup ${hostname}: no such host`;
    case 'EHOSTUNREACH': return `dial tcp ${hostPort}: connect: no route to host`;
    case 'ETIMEDOUT': return `dial tcp ${hostPort}: i/o timeout`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return `tls: failed to verify certificate: x509: certificate is not valid for ${hostname}`;
    case 'CERT_HAS_EXPIRED': return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    default: return err instanceof Error ? err.message : String(e);
  }
}
