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
});
