// The TokenRequest API as the agent calls it: POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token
// with the pod as boundObjectRef; the issued token and its expiry.
import type { HttpClient } from '../../../main/client/http';
import type { IssuedToken, TokenRequester } from '../volumes/service-account-token';

interface TokenRequestReply { status?: { token?: string; expirationTimestamp?: string }; message?: string }

export function apiTokenRequester(client: HttpClient): TokenRequester {
  return async (namespace, serviceAccount, spec) => {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`;
    const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
    const res = await client.request('POST', path, body);
    let reply: TokenRequestReply = {};
    try { reply = JSON.parse(res.text) as TokenRequestReply; } catch { /* not JSON: reported below */ }
    if (res.code >= 400) throw new Error(`failed to fetch token: ${reply.message ?? `${res.code} ${res.text.slice(0, 200)}`}`);
    const { token, expirationTimestamp } = reply.status ?? {};
    if (!token || !expirationTimestamp) throw new Error('failed to fetch token: the TokenRequest answer has no token');
    const issued: IssuedToken = { token, expirationTimestamp };
    return issued;
  };
}
