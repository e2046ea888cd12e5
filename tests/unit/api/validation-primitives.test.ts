import { describe, expect, it } from 'vitest';
import { goLabelSelector, goQuote, goStringMap, goStrings, goValue } from '../../../main/api/validation/gofmt';
import { ipFamilyOf, isConfigMapKey, isDNS1123Label, isValidPortName, regexError, utf8Length } from '../../../main/api/validation/names';
import { nameIsDNSSubdomain } from '../../../main/api/validation/meta';
import fc from 'fast-check';
import { semanticEqual } from '../../../main/api/validation/read';

describe('Go formatting', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\r', '"\\n\\t\\r"'],
    ['\x01\x7f', '"\\x01\\x7f"'],
    ['héllo', '"héllo"'],
  ])('%%q of %j', (s, want) => {
    expect(goQuote(s)).toBe(want);
  });
  it('values', () => {
    expect(goValue(3)).toBe('3');
    expect(goValue(true)).toBe('true');
    expect(goValue(null)).toBe('null');
    expect(goValue(undefined)).toBe('null');
    expect(goStringMap({ b: '2', a: '1' }).text).toBe('map[string]string{"a":"1", "b":"2"}');
    expect(goStringMap({}).text).toBe('map[string]string{}');
    expect(goStringMap(undefined).text).toBe('map[string]string(nil)');
    expect(goStrings(['x', 'y']).text).toBe('[]string{"x", "y"}');
    expect(goStrings(undefined).text).toBe('[]string(nil)');
    expect(goLabelSelector({ matchLabels: { app: 'a' } }).text)
      .toBe('v1.LabelSelector{MatchLabels:map[string]string{"app":"a"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}');
  });
});

describe('apimachinery string checks', () => {
  it('regexError joins examples the way Go does (note the double space)', () => {
    expect(regexError('m', 'f')).toBe("m (regex used for validation is 'f')");
    expect(regexError('m', 'f', 'a')).toBe("m (e.g. 'a', regex used for validation is 'f')");
    expect(regexError('m', 'f', 'a', 'b')).toBe("m (e.g. 'a',  or 'b', regex used for validation is 'f')");
  });
  it('DNS labels', () => {
    expect(isDNS1123Label('a-1')).toEqual([]);
    expect(isDNS1123Label('a.b')).toEqual(['must not contain dots']);
    expect(isDNS1123Label('')).toHaveLength(1);
  });
  it('generateName masks one trailing dash', () => {
    expect(nameIsDNSSubdomain('web-', true)).toEqual([]);
    expect(nameIsDNSSubdomain('web-', false)).toHaveLength(1);
    expect(nameIsDNSSubdomain('web--', true)).toHaveLength(0);
    expect(nameIsDNSSubdomain('-', true)).toHaveLength(1);
  });
  it('port names', () => {
    expect(isValidPortName('http')).toEqual([]);
    expect(isValidPortName('a--b')).toEqual(['must not contain consecutive hyphens']);
    expect(isValidPortName('-ab')).toEqual(['must not begin or end with a hyphen']);
    expect(isValidPortName('123')).toEqual(['must contain at least one letter (a-z)']);
    expect(isValidPortName('abcdefghijklmnop')).toEqual(['must be no more than 15 characters']);
  });
  it('config keys', () => {
    expect(isConfigMapKey('.env')).toEqual([]);
    expect(isConfigMapKey('.')).toEqual(["must not be '.'"]);
    expect(isConfigMapKey('..')).toEqual(["must not be '..'"]);
  });
  it('IP families and byte lengths', () => {
    expect(ipFamilyOf('10.0.0.1')).toBe('IPv4');
    expect(ipFamilyOf('010.0.0.1')).toBeUndefined();
    expect(ipFamilyOf('2001:db8::1')).toBe('IPv6');
    expect(ipFamilyOf('::ffff:10.0.0.1')).toBe('IPv6');
    expect(ipFamilyOf('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(ipFamilyOf('host')).toBeUndefined();
    expect(utf8Length('é€😀')).toBe(2 + 3 + 4);
  });
  it('semantic equality ignores zero values like Go', () => {
    expect(semanticEqual({ a: [], b: '', c: 0, d: false, e: {} }, {})).toBe(true);
    expect(semanticEqual({ a: [1] }, { a: [1] })).toBe(true);
    expect(semanticEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(semanticEqual({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } })).toBe(true);
    expect(semanticEqual({ a: undefined, b: [{ c: 1 }] }, { b: [{ c: 1 }] })).toBe(true);
    expect(semanticEqual({ b: [{ c: 1 }] }, { b: [{ c: 1 }], d: 'x' })).toBe(false);
    expect(semanticEqual({ b: [{ c: 1 }], d: 'x' }, { b: [{ c: 1 }] })).toBe(false);
    expect(semanticEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(semanticEqual([0], [])).toBe(false);
    expect(semanticEqual([{}], [{ a: '' }])).toBe(true);
    expect(semanticEqual('1', 1)).toBe(false);
  });

  // The definition: two values are equal when their normal forms (zero values dropped, keys sorted) serialise alike.
  const normal = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.length ? v.map(normal) : undefined;
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const n = normal((v as Record<string, unknown>)[k]);
        if (n !== undefined) out[k] = n;
      }
      return Object.keys(out).length ? out : undefined;
    }
    return v === '' || v === 0 || v === false || v === null ? undefined : v;
  };
  it('semantic equality agrees with comparing normal forms, for any JSON values', () => {
    const leaf = fc.oneof(fc.constantFrom('', 0, false, null, 'a', 1, true, undefined), fc.string({ maxLength: 2 }), fc.integer({ min: -2, max: 2 }));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('value'), { maxKeys: 3 })),
    }));
    // Pairs built to be near each other, so that equal-but-different cases are common.
    const near = value.chain((a) => fc.tuple(fc.constant(a), fc.oneof(value, fc.constant(JSON.parse(JSON.stringify(a ?? null)) as unknown))));
    fc.assert(fc.property(near, ([a, b]) => semanticEqual(a, b) === (JSON.stringify(normal(a)) === JSON.stringify(normal(b)))), { numRuns: 5000 });
  });
});
