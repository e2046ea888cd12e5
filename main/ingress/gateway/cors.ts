// The CORS filter of an HTTPRoute rule (Gateway API HTTPCORSFilter): an allowed Origin (exact, `*`, or with a `*`
// host wildcard matching any labels to its left; a missing port is the scheme's) gets Access-Control-Allow-Origin
// (the origin itself when credentials are allowed, else `*` for a `*` policy), Allow-Credentials and Expose-Headers
// on its answers; a preflight (OPTIONS with Access-Control-Request-Method) is answered by the gateway itself, 204,
// with Allow-Methods, Allow-Headers (a `*` echoes the request's when credentials are allowed) and Max-Age (5 s by
// default). An origin the policy does not allow gets no CORS headers, so the browser refuses the call.
import type { CORSPolicy } from './types';

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

function parseOrigin(o: string): { scheme: string; host: string; port: string } | undefined {
  const m = /^(https?):\/\/([^/:]+)(?::(\d+))?$/i.exec(o.trim());
  if (!m) return undefined;
  const scheme = (m[1] ?? '').toLowerCase();
  return { scheme, host: (m[2] ?? '').toLowerCase(), port: m[3] ?? DEFAULT_PORT[scheme] ?? '' };
}

/** Whether a request's Origin is one the policy allows. */
export function originAllowed(policy: CORSPolicy, origin: string): boolean {
  const got = parseOrigin(origin);
  if (!got) return false;
  return (policy.allowOrigins ?? []).some((allowed) => {
    if (allowed === '*') return true;
    const want = parseOrigin(allowed);
    if (!want || want.scheme !== got.scheme || want.port !== got.port) return false;
    if (!want.host.startsWith('*')) return want.host === got.host;
    const suffix = want.host.slice(1); // `*` is greedy to the left: any number of labels
    return got.host.endsWith(suffix) && got.host.length > suffix.length;
  });
}

/** The CORS headers of an answer to a request from `origin` (none when the origin is not allowed). */
export function corsHeaders(policy: CORSPolicy, origin: string | undefined): Record<string, string> {
  if (!origin || !originAllowed(policy, origin)) return {};
  const credentials = policy.allowCredentials === true;
  const out: Record<string, string> = {
    'access-control-allow-origin': (policy.allowOrigins ?? []).includes('*') && !credentials ? '*' : origin,
  };
  if (credentials) out['access-control-allow-credentials'] = 'true';
  if (policy.exposeHeaders?.length) out['access-control-expose-headers'] = policy.exposeHeaders.join(', ');
  if (out['access-control-allow-origin'] !== '*') out.vary = 'Origin';
  return out;
}

/** The headers of the gateway's own answer to a preflight. */
export function preflightHeaders(policy: CORSPolicy, origin: string | undefined, requestMethod: string,
  requestHeaders: string | undefined): Record<string, string> {
  const base = corsHeaders(policy, origin);
  if (!base['access-control-allow-origin']) return {};
  const credentials = policy.allowCredentials === true;
  const list = (allowed: string[] | undefined, requested: string | undefined): string | undefined => {
    if (!allowed?.length) return undefined;
    if (allowed.includes('*')) return credentials ? requested : '*';
    return allowed.join(', ');
  };
  const methods = list(policy.allowMethods, requestMethod);
  const headers = list(policy.allowHeaders, requestHeaders);
  return {
    ...base,
    ...(methods ? { 'access-control-allow-methods': methods } : {}),
    ...(headers ? { 'access-control-allow-headers': headers } : {}),
    'access-control-max-age': String(policy.maxAge ?? 5),
  };
}
