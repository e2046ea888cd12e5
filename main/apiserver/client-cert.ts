// x509 client-certificate authentication (apiserver's x509 authenticator with CommonNameUserConversion): a client
// certificate the cluster CA signed, valid now and for client auth, is the user named by its subject's CN, in the
// groups of its O values. TLS asks for a certificate but does not require one (tokens still work); Node has
// already checked the chain and dates when `authorized` is true.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Identity } from './auth';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_USAGE = '2.5.29.37.0';
const AUTHENTICATED = 'system:authenticated';

function values(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function clientCertIdentity(req: IncomingMessage): Identity | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (!socket.authorized || typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return undefined;
  const usages = cert.ext_key_usage ?? [];
  if (usages.length && !usages.includes(CLIENT_AUTH) && !usages.includes(ANY_USAGE)) return undefined;
  const name = values(cert.subject.CN)[0];
  if (!name) return undefined;
  const groups = values(cert.subject.O);
  return { name, groups: groups.includes(AUTHENTICATED) ? groups : [...groups, AUTHENTICATED] };
}
