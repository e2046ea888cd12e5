// Secrets: stringData is a write-only convenience. Every write merges it into data (base64 of its
// UTF-8, winning over data for the same key) and drops it, as Kubernetes' conversion of a v1 Secret
// does before defaulting and validation; so stringData is never stored nor returned.
import type { KObject } from '../../../api/types';
import type { Strategy } from '../strategy';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const secretStrategy: Strategy = {
  normalize(obj: KObject): void {
    const stringData = obj.stringData;
    if (stringData === undefined) return;
    if (stringData === null) {
      delete obj.stringData;
      return;
    }
    // Anything but a map of strings stays for validation to report.
    if (!isRecord(stringData) || !Object.values(stringData).every((v) => typeof v === 'string')) return;
    const data: Record<string, unknown> = isRecord(obj.data) ? obj.data : {};
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(v as string, 'utf8').toString('base64');
    if (Object.keys(data).length) obj.data = data;
    delete obj.stringData;
  },
};
