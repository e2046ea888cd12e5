// JSON merge patch (RFC 7386), as `application/merge-patch+json`. Pure: the inputs are not modified
// and the result shares nothing with them.
import { deepClone, getOwn, isObject, setKey } from './json';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  return merge(deepClone(target), patch);
}

function merge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return deepClone(patch);
  const out: Record<string, unknown> = isObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setKey(out, key, merge(getOwn(out, key), value));
  }
  return out;
}
