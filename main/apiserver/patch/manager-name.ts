// The field manager of a request that names none: the User-Agent up to its first "/", printable
// characters only, at most 128 bytes (apiserver handlers managerOrUserAgent). kubectl commands
// without --field-manager (scale, label, annotate, …) are therefore the manager "kubectl".

const FIELD_MANAGER_MAX_LENGTH = 128;
const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

export function managerOrUserAgent(manager: string | undefined, userAgent: string | undefined): string {
  if (manager) return manager;
  const prefix = (userAgent ?? '').split('/')[0];
  let out = '';
  let bytes = 0;
  for (const ch of prefix) {
    if (!PRINTABLE.test(ch)) continue;
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += n;
  }
  return out;
}
