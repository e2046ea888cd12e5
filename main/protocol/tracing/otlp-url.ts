// The OTLP/HTTP traces URL a user gives (`--otlp-endpoint`), checked apart from the exporter so the CLI can check it cheaply.

/** The collector's traces URL: an endpoint without a path gets OTLP's default `/v1/traces`. Throws on anything but http(s). */
export function otlpTracesUrl(endpoint: string): string {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(endpoint)} (e.g. http://localhost:4318)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`an OTLP/HTTP endpoint is http:// or https://, not ${u.protocol}//`);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/traces';
  return u.toString();
}
