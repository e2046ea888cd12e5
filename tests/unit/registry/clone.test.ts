import { describe, expect, it } from 'vitest';
import { clone } from '../../../main/apiserver/registry/objects';

describe('clone', () => {
  it('copies JSON-like values deeply, keeping undefined-valued keys and key order', () => {
    const src = { a: 1, b: { c: [1, { d: 'x' }], e: undefined, f: null }, g: [] as unknown[] };
    const out = clone(src);
    expect(out).toEqual(src);
    expect(Object.keys(out.b)).toEqual(['c', 'e', 'f']);
    expect(out.b).not.toBe(src.b);
    expect(out.b.c[1]).not.toBe(src.b.c[1]);
    (out.b.c[1] as { d: string }).d = 'y';
    expect((src.b.c[1] as { d: string }).d).toBe('x');
  });

  it('keeps a "__proto__" key as an own property', () => {
    const src = JSON.parse('{"metadata":{"labels":{"__proto__":"x"}}}') as { metadata: { labels: Record<string, unknown> } };
    const out = clone(src);
    expect(Object.prototype.hasOwnProperty.call(out.metadata.labels, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out.metadata.labels)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe(JSON.stringify(src));
  });

  it('copies values that are not plain data (a Date) as structuredClone does', () => {
    const when = new Date(0);
    const out = clone({ when });
    expect(out.when).toBeInstanceOf(Date);
    expect(out.when).not.toBe(when);
    expect(out.when.getTime()).toBe(0);
  });
});
