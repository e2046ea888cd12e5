import { describe, expect, it } from 'vitest';
import { applyMergePatch } from '../../../main/apiserver/patch/merge-patch';
import { applyJsonPatch } from '../../../main/apiserver/patch/json-patch';
import { PatchError } from '../../../main/apiserver/patch/errors';
import { goJson } from '../../../main/apiserver/patch/json';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, deletes with null, replaces arrays and scalars', () => {
    const target = { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] };
    const out = applyMergePatch(target, { a: 'z', c: { f: null, h: { i: null } }, list: [3] });
    expect(out).toEqual({ a: 'z', c: { d: 'e', h: {} }, list: [3] });
    expect(target).toEqual({ a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] });
  });

  it('shares nothing with its inputs (the registry hands it the stored object itself)', () => {
    const target = { keep: { deep: [{ x: 1 }] }, c: { d: 'e' } };
    const out = applyMergePatch(target, { c: { d: 'f' } }) as typeof target;
    out.keep.deep[0].x = 2;
    expect(target.keep.deep[0].x).toBe(1);
    const doc = { keep: { deep: [{ x: 1 }] }, n: 1 };
    const patched = applyJsonPatch(doc, [{ op: 'replace', path: '/n', value: 2 }]) as typeof doc;
    patched.keep.deep[0].x = 2;
    expect(doc).toEqual({ keep: { deep: [{ x: 1 }] }, n: 1 });
  });

  it('replaces the whole document with a non-object patch', () => {
    expect(applyMergePatch({ a: 1 }, ['x'])).toEqual(['x']);
    expect(applyMergePatch('x', { a: 1 })).toEqual({ a: 1 });
  });

  it('does not share structure with its inputs', () => {
    const target = { keep: { deep: 1 } };
    const out = applyMergePatch(target, { other: 1 }) as { keep: { deep: number } };
    out.keep.deep = 2;
    expect(target.keep.deep).toBe(1);
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { spec: { replicas: 1, list: ['a', 'b'] } };

  it('applies add/replace/remove/move/copy/test without touching the input', () => {
    const out = applyJsonPatch(doc, [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/spec/list/-', value: 'c' },
      { op: 'remove', path: '/spec/list/0' },
      { op: 'copy', from: '/spec/replicas', path: '/spec/copy' },
      { op: 'move', from: '/spec/copy', path: '/spec/moved' },
    ]);
    expect(out).toEqual({ spec: { replicas: 3, list: ['b', 'c'], moved: 3 } });
    expect(doc).toEqual({ spec: { replicas: 1, list: ['a', 'b'] } });
  });

  it('names the failing operation and path like Kubernetes', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/spec/replicas', value: 2 }])).toThrow('testing value /spec/replicas failed: test failed');
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/spec/foo/bar', value: 1 }])).toThrow('add operation does not apply: doc is missing path: "/spec/foo/bar"');
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/spec/foo', value: 1 }])).toThrow('replace operation does not apply: doc is missing key: /spec/foo');
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/foo' }])).toThrow("error in remove for path: '/spec/foo'");
    expect(() => applyJsonPatch(doc, [{ op: 'move', from: '/nope', path: '/x' }])).toThrow('move operation does not apply: doc is missing from path: /nope');
  });

  it('refuses to touch __proto__', () => {
    expect(() => applyJsonPatch({}, [{ op: 'add', path: '/__proto__/polluted', value: 1 }])).toThrow(PatchError);
    expect(() => applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: 1 } }])).toThrow(PatchError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects malformed operations with a 400 PatchError', () => {
    for (const ops of [{}, [{ op: 'jump', path: '/a' }], [{ op: 'add', path: 'a', value: 1 }], [{ op: 'add', path: '/a' }], [{ op: 'copy', path: '/a' }]]) {
      let err: unknown;
      try { applyJsonPatch(doc, ops); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(PatchError);
      expect((err as PatchError).code).toBe(400);
    }
  });
});

describe('Go-style JSON', () => {
  it('sorts keys and escapes HTML characters like encoding/json', () => {
    expect(goJson({ b: 1, a: ['<x>', { d: true, c: null }], e: 'a&b' })).toBe('{"a":["\\u003cx\\u003e",{"c":null,"d":true}],"b":1,"e":"a\\u0026b"}');
  });
});
