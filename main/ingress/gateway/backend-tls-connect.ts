// TLS from the gateway to a pod under a BackendTLSPolicy: over the tunnel to the pod, SNI the policy's hostname, the
// certificate checked against its CA bundle (or the system's CAs) and against its hostname — or, when the policy lists
// subjectAltNames, against those instead (a DNS name, wildcards as TLS matches them, or an exact URI such as a SPIFFE ID).
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { asSocket } from '../../protocol/agent-connection';
import type { BackendTls } from './backend-tls';

/** The certificate's names against the policy's subjectAltNames: undefined when one matches, else why not. */
function checkSubjectAltNames(b: BackendTls, cert: tls.PeerCertificate): Error | undefined {
  const sans = (cert.subjectaltname ?? '').split(', ').filter(Boolean);
  for (const want of b.subjectAltNames) {
    if (want.type === 'URI' && sans.includes(`URI:${want.uri ?? ''}`)) return undefined;
    if (want.type === 'Hostname' && want.hostname && tls.checkServerIdentity(want.hostname, cert) === undefined) return undefined;
  }
  const wanted = b.subjectAltNames.map((x) => (x.type === 'URI' ? `URI:${x.uri ?? ''}` : `DNS:${x.hostname ?? ''}`)).join(', ');
  return new Error(`the certificate's subject alternative names (${sans.join(', ') || 'none'}) match none of BackendTLSPolicy ${b.policy}'s (${wanted})`);
}

/** The TLS options for a connection under `b` (ALPN `alpn`; none for a TLSRoute's bytes). */
export function backendTlsOptions(b: BackendTls, alpn: string[]): tls.ConnectionOptions {
  return {
    ...(isIP(b.hostname) ? {} : { servername: b.hostname }),
    ...(b.ca === undefined ? {} : { ca: b.ca }),
    ...(alpn.length ? { ALPNProtocols: alpn } : {}),
    checkServerIdentity: (_host, cert) => (b.subjectAltNames.length ? checkSubjectAltNames(b, cert) : tls.checkServerIdentity(b.hostname, cert)),
  };
}

/** Starts TLS over a stream to a pod; resolves once the handshake and the checks pass. */
export function originateTls(stream: Duplex, b: BackendTls, alpn: string[]): Promise<tls.TLSSocket> {
  if (b.problem) {
    stream.destroy();
    return Promise.reject(new Error(`BackendTLSPolicy ${b.policy}: ${b.problem}`));
  }
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ socket: asSocket(stream), ...backendTlsOptions(b, alpn) });
    socket.once('secureConnect', () => { socket.off('error', fail); resolve(socket); });
    const fail = (e: Error): void => { socket.destroy(); reject(new Error(`TLS under BackendTLSPolicy ${b.policy}: ${e.message}`)); };
    socket.once('error', fail);
  });
}

/** What a dialled tunnel becomes: TLS over it under a policy, else the tunnel as it is. */
export function overTls(b: BackendTls | undefined, alpn: string[]): (raw: Duplex) => Duplex | Promise<Duplex> {
  return (raw) => (b ? originateTls(raw, b, alpn) : raw);
}

/** A key telling connections under different policies (or none) apart, for pools of connections. */
export function backendTlsKey(b: BackendTls | undefined): string {
  return b ? JSON.stringify([b.policy, b.hostname, b.ca ?? '', b.subjectAltNames, b.problem ?? '']) : '';
}
