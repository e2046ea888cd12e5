import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { frozenStoredCopy } from '../../../main/apiserver/registry/json-copy';
import { decode, encode } from '../../../main/apiserver/registry/objects';
import { DecodedObjects } from '../../../main/apiserver/registry/decoded';
import type { KV } from '../../../main/store/types';

/** What the watch gets without the copy: the stored text parsed, resourceVersion injected. */
function parsed(obj: KObject, revision: number): unknown {
  return decode({ key: 'k', value: encode(obj), createRevision: 1, modRevision: revision });
}

function isDeepFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  return Object.isFrozen(v) && Object.values(v).every(isDeepFrozen);
}

describe('the frozen copy of a written object', () => {
  it('is what parsing its stored text gives, key order included, and frozen', () => {
    const shared = Object.freeze({ 'f:spec': Object.freeze({}) });
    const obj = {
      apiVersion: 'v1', kind: 'ConfigMap', gone: undefined,
      metadata: { name: 'a', resourceVersion: '7', labels: { x: 'y' }, annotations: undefined, managedFields: [{ manager: 'm', fieldsV1: shared }] },
      data: { n: -0, inf: Infinity, nan: NaN, list: [1, undefined, null, { a: undefined, b: false }], empty: {} },
    } as unknown as KObject;
    const copy = frozenStoredCopy(obj, 42);
    expect(copy).toEqual(parsed(obj, 42));
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed(obj, 42)));
    expect(Object.keys(copy!.metadata)).toEqual(['name', 'labels', 'managedFields', 'resourceVersion']);
    expect(Object.is((copy as unknown as { data: { n: number } }).data.n, 0)).toBe(true);
    expect(isDeepFrozen(copy)).toBe(true);
    expect(copy!.metadata.managedFields![0].fieldsV1).toBe(shared); // frozen parts are shared
    expect(obj.metadata!.resourceVersion).toBe('7'); // the written object is left alone
    expect(Object.isFrozen(obj.metadata)).toBe(false);
  });

  it('gives up on anything that is not plain JSON data (the text is parsed then)', () => {
    const base = (extra: Record<string, unknown>): KObject => (({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: extra }));
    expect(frozenStoredCopy(base({ when: new Date(0) }), 1)).toBeUndefined();
    expect(frozenStoredCopy(base(JSON.parse('{"__proto__": "x"}') as Record<string, unknown>), 1)).toBeUndefined();
    expect(frozenStoredCopy(base({ big: 1n }), 1)).toBeUndefined();
    expect(frozenStoredCopy({ apiVersion: 'v1', kind: 'ConfigMap' }, 1)).toBeUndefined();
  });
});

describe('DecodedObjects.write', () => {
  it("makes the watch event's object of exactly the written text from the object, and parses any other text", async () => {
    const d = new DecodedObjects();
    const data = Object.freeze({ k: 'v' });
    const obj: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' }, data };
    let seen: unknown;
    let other: unknown;
    const kv = await d.write('/k', obj, (text) => {
      // The store's watchers run before the write settles.
      seen = d.frozen('/k', 5, text, 5);
      other = d.frozen('/other', 5, text, 5);
      return Promise.resolve<KV>({ key: '/k', value: text, createRevision: 5, modRevision: 5 });
    });
    expect(seen).toEqual(parsed(obj, 5));
    expect(other).toEqual(parsed(obj, 5));
    expect((seen as { data: unknown }).data).toBe(data); // made from the object (its frozen parts shared) …
    expect((other as { data: unknown }).data).not.toBe(data); // … and, for another key, parsed
    expect(kv.modRevision).toBe(5);
    // After the write, the same text at a later revision is parsed (the object may have changed since).
    obj.data = { k: 'changed' };
    expect(d.frozen('/k', 6, kv.value, 5)).toEqual(parsed({ ...obj, data: { k: 'v' } }, 6));
    expect(d.held('/k', 5)).toBe(seen);
  });
});
