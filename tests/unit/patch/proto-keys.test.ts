import { afterEach, describe, expect, it } from 'vitest';
import { applyMergePatch } from '../../../main/apiserver/patch/merge-patch';
import { applyStrategicMergePatch } from '../../../main/apiserver/patch/strategic';
import { serverSideApply } from '../../../main/apiserver/patch/apply';
import { patchMetaFor } from '../../../main/apiserver/patch/patchmeta';

// "__proto__" is a legal ConfigMap data key; it must stay data and never reach a prototype.
const evil = (): Record<string, unknown> => JSON.parse('{"data":{"__proto__":{"polluted":"yes"}},"__proto__":{"polluted":"yes"}}') as Record<string, unknown>;
const cm = patchMetaFor('v1', 'ConfigMap');

describe('"__proto__" keys', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('are ordinary keys in a JSON merge patch', () => {
    const out = applyMergePatch({ data: { a: '1' } }, evil()) as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out.data as object)).toEqual(['a', '__proto__']);
  });

  it('are ordinary keys in a strategic merge patch, also over an existing "__proto__" key', () => {
    const once = applyStrategicMergePatch({ data: { a: '1' } }, evil(), cm) as Record<string, unknown>;
    const twice = applyStrategicMergePatch(once, evil(), cm) as Record<string, unknown>;
    expect(Object.getPrototypeOf(twice)).toBe(Object.prototype);
    expect(JSON.stringify(twice)).toBe('{"data":{"a":"1","__proto__":{"polluted":"yes"}},"__proto__":{"polluted":"yes"}}');
  });

  it('are ordinary keys in server-side apply', () => {
    const applied = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, ...evil() };
    const r = serverSideApply({ live: undefined, applied, manager: 'm', force: false, now: 't', meta: cm });
    expect('object' in r && JSON.stringify(r.object.data)).toBe('{"__proto__":{"polluted":"yes"}}');
  });
});
