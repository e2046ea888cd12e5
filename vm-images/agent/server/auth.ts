// The agent's server accepts only the control plane's bearer token.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function authorized(req: IncomingMessage, token: string): boolean {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(h);
  if (!m || !token) return false;
  const got = Buffer.from(m[1].trim());
  const want = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}
