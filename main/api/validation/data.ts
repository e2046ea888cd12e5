// Sizes and keys of ConfigMap/Secret data.
import type { Cause } from './cause';
import { invalid } from './cause';
import { isConfigMapKey, utf8Length } from './names';
import { obj } from './read';

/** ConfigMaps and Secrets may hold at most 1 MiB. */
export const MAX_DATA_SIZE = 1024 * 1024;

export function base64Length(s: string): number {
  const clean = s.replace(/\s/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - pad);
}

/** Validate the keys of a data map; returns the causes and the total size of the values. */
export function validateDataKeys(data: unknown, path: string, base64: boolean): { causes: Cause[]; size: number } {
  const causes: Cause[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(obj(data))) {
    for (const m of isConfigMapKey(k)) causes.push(invalid(`${path}[${k}]`, k, m));
    const s = typeof v === 'string' ? v : '';
    size += base64 ? base64Length(s) : utf8Length(s);
  }
  return { causes, size };
}
