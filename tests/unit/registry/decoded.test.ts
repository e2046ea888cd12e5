import { describe, expect, it } from 'vitest';
import { DecodedObjects } from '../../../main/apiserver/registry/decoded';

const text = (v: string): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { v } });

describe('DecodedObjects', () => {
  it("holds the latest revision and the one before it (a watch event's old object), not older ones", () => {
    const d = new DecodedObjects();
    const r5 = d.frozen('/k', 5, text('5'), 5);
    const r6 = d.frozen('/k', 6, text('6'), 5);
    expect(d.held('/k', 6)).toBe(r6);
    expect(d.held('/k', 5)).toBe(r5);
    expect(d.frozen('/k', 5, text('5'), 5)).toBe(r5); // not parsed again
    d.frozen('/k', 7, text('7'), 5);
    expect(d.held('/k', 5)).toBeUndefined();
    expect(d.held('/k', 6)).toBe(r6);
    expect(d.held('/other', 6)).toBeUndefined();
  });

  it('reads for update without a copy when held, and copies for a caller that changes the object', () => {
    const d = new DecodedObjects();
    const held = d.frozen('/k', 3, text('x'), 3);
    const kv = { key: '/k', value: text('x'), createRevision: 3, modRevision: 3 };
    expect(d.readOnly(kv)).toBe(held);
    const copy = d.copy(kv);
    expect(copy).toEqual(held);
    expect(copy).not.toBe(held);
    expect(Object.isFrozen(copy)).toBe(false);
    const notHeld = d.readOnly({ ...kv, modRevision: 9 });
    expect(notHeld.metadata.resourceVersion).toBe('9');
  });

  it("gives every reader of one store event the same frozen object: a PUT's held by revision, a DELETE's last value with the key forgotten", () => {
    const d = new DecodedObjects();
    const put = { type: 'PUT' as const, key: '/k', revision: 4, createRevision: 4, value: text('p'), created: true };
    const obj = d.eventObject(put);
    expect(obj.metadata.resourceVersion).toBe('4');
    expect((obj as unknown as { data: { v: string } }).data.v).toBe('p');
    expect(Object.isFrozen(obj)).toBe(true);
    expect(d.eventObject(put)).toBe(obj);
    expect(d.held('/k', 4)).toBe(obj);
    // Another event of the same write (the same text at the same revision) finds the held object.
    expect(d.eventObject({ ...put })).toBe(obj);
    const del = { type: 'DELETE' as const, key: '/k', revision: 5, createRevision: 4, value: text('p'), created: false };
    const last = d.eventObject(del);
    expect(last.metadata.resourceVersion).toBe('5');
    expect(d.eventObject(del)).toBe(last);
    expect(d.held('/k', 4)).toBeUndefined();
  });
});
