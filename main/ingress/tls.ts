// TLS by SNI: the server name picks the Secret of a Gateway's HTTPS listener for that host, else the one an
// Ingress's spec.tls names for it (exact, then wildcard);
// its kubernetes.io/tls certificate and key make the secure context (cached by the Secret's resourceVersion). A name
// no Ingress covers, a missing Secret or a bad one gets the default certificate (the control plane's serving one).
import * as tls from 'node:tls';
import type { Secret } from '../api/types';
import { tlsSecretFor, type RouteTable } from './routing';

export interface CertPair {
  certPem: string;
  keyPem: string;
}

export interface SecretSource {
  routes(): RouteTable;
  /** A Gateway HTTPS listener's certificate Secret for the name, which comes before the Ingresses'. */
  gatewayCert?(serverName: string): { namespace: string; secretName: string } | undefined;
  secret(namespace: string, name: string): Secret | undefined;
}

export class SniContexts {
  private readonly cache = new Map<string, { version: string; ctx: tls.SecureContext }>();
  private readonly fallback: tls.SecureContext;

  constructor(private readonly source: SecretSource, defaultCert: CertPair, private readonly log: (l: string) => void) {
    this.fallback = tls.createSecureContext({ cert: defaultCert.certPem, key: defaultCert.keyPem });
  }

  /** The context for a server name (for https.createServer's SNICallback). */
  contextFor(serverName: string): tls.SecureContext {
    const ref = this.source.gatewayCert?.(serverName) ?? tlsSecretFor(this.source.routes(), serverName);
    if (!ref) return this.fallback;
    const secret = this.source.secret(ref.namespace, ref.secretName);
    const key = `${ref.namespace}/${ref.secretName}`;
    if (!secret) return this.fallback;
    const version = `${secret.metadata?.uid ?? ''}/${secret.metadata?.resourceVersion ?? ''}`;
    const cached = this.cache.get(key);
    if (cached?.version === version) return cached.ctx;
    const data = secret.data ?? {};
    const cert = data['tls.crt'];
    const pem = data['tls.key'];
    if (secret.type !== 'kubernetes.io/tls' || !cert || !pem) {
      this.log(`ingress: secret ${key} is not a kubernetes.io/tls secret with tls.crt and tls.key; serving the default certificate for ${serverName}`);
      return this.fallback;
    }
    try {
      const ctx = tls.createSecureContext({ cert: Buffer.from(cert, 'base64'), key: Buffer.from(pem, 'base64') });
      this.cache.set(key, { version, ctx });
      return ctx;
    } catch (e) {
      this.log(`ingress: secret ${key}: ${e instanceof Error ? e.message : String(e)}; serving the default certificate for ${serverName}`);
      return this.fallback;
    }
  }

  /** https.createServer's SNICallback. */
  readonly sniCallback = (serverName: string, cb: (err: Error | null, ctx?: tls.SecureContext) => void): void => {
    cb(null, this.contextFor(serverName));
  };
}
