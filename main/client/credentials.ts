// How a client proves who it is to an API server and which server it trusts: a bearer token, a
// client certificate or basic credentials, and the CA (or none, when told to skip verification) —
// as a kubeconfig's cluster and user entries say. Turned into Node's TLS options and headers here,
// once, for every HTTPS caller (the client, the UI bridge's streams).
import type * as https from 'node:https';

export interface ApiCredentials {
  token?: string;
  caCertPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  username?: string;
  password?: string;
}

export type TlsOptions = Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'>;

export function tlsOptions(c: ApiCredentials): TlsOptions {
  const o: TlsOptions = {};
  if (c.caCertPem) o.ca = c.caCertPem;
  if (c.clientCertPem) o.cert = c.clientCertPem;
  if (c.clientKeyPem) o.key = c.clientKeyPem;
  if (c.insecureSkipTlsVerify) o.rejectUnauthorized = false;
  if (c.tlsServerName) o.servername = c.tlsServerName;
  return o;
}

/** The Authorization header, when the credentials carry one (a client certificate needs none). */
export function authHeaders(c: ApiCredentials): Record<string, string> {
  if (c.token) return { Authorization: `Bearer ${c.token}` };
  if (c.username !== undefined && c.password !== undefined) {
    return { Authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` };
  }
  return {};
}
