import { describe, expect, it } from 'vitest';
import { compareKeys, prefixUpperBound } from '../../../main/store/key-order';
import { StateIndex } from '../../../main/store/state-index';
import type { KV } from '../../../main/store/types';

// Characters around the places where UTF-16 and UTF-8 orders disagree.
const alphabet = ['a', 'b', '/', '\u0000', '\u00e9', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{1f600}'];

function randomKey(rand: () => number): string {
  let s = '';
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('key order', () => {
  it('compareKeys agrees with UTF-8 byte order (SQLite BINARY collation)', () => {
    const rand = rng(42);
    for (let i = 0; i < 5000; i++) {
      const a = randomKey(rand);
      const b = randomKey(rand);
      expect(Math.sign(compareKeys(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(
        Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))),
      );
    }
  });

  it('prefixUpperBound is above every key under the prefix and below the next prefix', () => {
    expect(compareKeys('/pods/\u{1f600}zzz', prefixUpperBound('/pods/'))).toBeLessThan(0);
    expect(compareKeys('/pods0', prefixUpperBound('/pods/'))).toBeGreaterThan(0);
  });
});

describe('StateIndex', () => {
  it.each([
    ['default chunks', undefined],
    ['chunks of 4 keys (splits and empty chunks)', 4],
  ])('list and count match a sorted-array model through random sets and removes (%s)', (_name, maxChunk) => {
    const rand = rng(9);
    const index = new StateIndex(maxChunk);
    const model = new Map<string, KV>();
    for (let step = 0; step < 3000; step++) {
      const key = randomKey(rand);
      if (rand() < 0.3) {
        index.remove(key);
        model.delete(key);
      } else {
        const kv = { key, value: String(step), createRevision: step, modRevision: step };
        index.set(kv);
        model.set(key, kv);
      }
      if (step % 100 === 0) {
        const sorted = [...model.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        for (const prefix of ['', 'a', '/', '\u{1f600}', 'ab', '\ue000']) {
          const under = sorted.filter((k) => k.startsWith(prefix));
          expect(index.count(prefix)).toBe(under.length);
          expect(index.list(prefix).items.map((kv) => kv.key)).toEqual(under);
          const startAfter = under[Math.floor(under.length / 2)];
          if (startAfter !== undefined) {
            const page = index.list(prefix, startAfter, 3);
            const rest = under.slice(under.indexOf(startAfter) + 1);
            expect(page.items.map((kv) => kv.key)).toEqual(rest.slice(0, 3));
            expect(page.more).toBe(rest.length > 3);
          }
        }
        expect(index.size).toBe(model.size);
      }
    }
  });

  it('built from sorted KVs lists, counts and grows like one built by inserts', () => {
    const keys = Array.from({ length: 50 }, (_, i) => `/registry/pods/ns${i % 3}/p${String(i).padStart(3, '0')}`)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const kv = (key: string, rev: number): KV => ({ key, value: 'v', createRevision: rev, modRevision: rev });
    const built = StateIndex.fromSorted(keys.map((k, i) => kv(k, i + 1)), 4);
    const inserted = new StateIndex(4);
    [...keys].reverse().forEach((k, i) => inserted.set(kv(k, i + 1)));
    for (const index of [built, inserted]) {
      expect(index.list('/registry/pods/').items.map((x) => x.key)).toEqual(keys);
      expect(index.count('/registry/pods/ns1/')).toBe(keys.filter((k) => k.startsWith('/registry/pods/ns1/')).length);
      expect(index.list('/registry/pods/ns2/', '/registry/pods/ns2/p005', 2).items.map((x) => x.key)).toEqual(['/registry/pods/ns2/p008', '/registry/pods/ns2/p011']);
    }
    built.set(kv('/registry/pods/ns1/p0005', 99));
    built.remove('/registry/pods/ns0/p000');
    expect(built.list('/registry/pods/ns').items.map((x) => x.key)).toEqual(
      [...keys.filter((k) => k !== '/registry/pods/ns0/p000'), '/registry/pods/ns1/p0005'].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
  });
});
