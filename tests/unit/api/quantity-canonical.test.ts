// The quantity kube-apiserver stores: resource.ParseQuantity, then the Quantity's canonical form. The cases are
// apimachinery v0.32's own (quantity_test.go: TestQuantityParseEmit, TestQuantityString's canonical and alternate
// forms, TestJSONWhitespace) and a few of the rules they follow.
import { describe, expect, it } from 'vitest';
import { canonicalQuantity } from '../../../main/api/quantity-canonical';

describe('canonicalQuantity', () => {
  const emit: Array<[string, string]> = [
    ['1Ki', '1Ki'], ['1Mi', '1Mi'], ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1000M', '1G'], ['.001Ki', '1024m'], ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
  ];
  it.each(emit)('stores %j as %j, and its negative as the negative', (q, want) => {
    expect(canonicalQuantity(q)).toBe(want);
    expect(canonicalQuantity(`-${q}`)).toBe(`-${want}`);
  });

  const alternates: Array<[string, string]> = [
    ['1024Mi', '1Gi'], ['307200Ki', '300Mi'], ['1025024Mi', '1001Gi'], ['1024Gi', '1Ti'], ['5000m', '5'], ['0.5', '500m'], ['1000M', '1G'],
    ['0.001T', '1G'], ['1000u', '1m'], ['1.08', '1080m'], ['1080000000n', '1080m'], ['.001e12', '1e9'], ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'], ['00', '0'],
  ];
  it.each(alternates)('stores %j in canonical form, %j', (q, want) => {
    expect(canonicalQuantity(q)).toBe(want);
  });

  it.each(['1Gi', '300Mi', '6Ki', '1001Gi', '1Ti', '5', '500m', '1G', '1m', '80m', '1080m', '300M', '1T', '1234567M', '1234567m', '3k',
    '1025', '0', '1e9', '1e-3', '1e-9', '80e-3', '300e6', '1e12', '1e3', '3e3', '1n', '80n', '1080n', '1u', '80u', '1080u'])('keeps canonical %j', (q) => {
    expect(canonicalQuantity(q)).toBe(q);
  });

  it('reads a JSON number, and a string with spaces around it, as Quantity.UnmarshalJSON does', () => {
    expect(canonicalQuantity(1)).toBe('1');
    expect(canonicalQuantity(10)).toBe('10');
    expect(canonicalQuantity(-1)).toBe('-1');
    expect(canonicalQuantity(0.5)).toBe('500m');
    expect(canonicalQuantity(1000)).toBe('1k');
    expect(canonicalQuantity(' 1')).toBe('1');
    expect(canonicalQuantity('1 ')).toBe('1');
    expect(canonicalQuantity('\t1024Mi\u0085')).toBe('1Gi'); // Go's TrimSpace: U+0085 is a space, U+FEFF is not
    expect(canonicalQuantity('\ufeff1')).toBeUndefined();
    expect(canonicalQuantity(' +1 ')).toBe('+1'); // the fast path keeps the trimmed string as given
  });

  it('follows the rules of the format: binary only for whole values of 1024 and more, decimal exponents in threes', () => {
    expect(canonicalQuantity('1.5Gi')).toBe('1536Mi');
    expect(canonicalQuantity('0.5Gi')).toBe('512Mi');
    expect(canonicalQuantity('1.5Ki')).toBe('1536');
    expect(canonicalQuantity('0.5Ki')).toBe('512');
    expect(canonicalQuantity('1.1Ki')).toBe('1126400m');
    expect(canonicalQuantity('2048Mi')).toBe('2Gi');
    expect(canonicalQuantity('1000m')).toBe('1');
    expect(canonicalQuantity('1.5')).toBe('1500m');
    expect(canonicalQuantity('1.50')).toBe('1500m');
    expect(canonicalQuantity('12e2')).toBe('1200');
    expect(canonicalQuantity('1e-10')).toBe('1e-9'); // rounded up to a nano
    expect(canonicalQuantity('0.0000000001')).toBe('1n');
    expect(canonicalQuantity('9Ei')).toBe('9223372036854775807'); // capped at 2^63 - 1
    expect(canonicalQuantity('Gi')).toBe('0');
    expect(canonicalQuantity('-0')).toBe('0');
  });

  it('keeps a string its fast path finds canonical as it was given', () => {
    expect(canonicalQuantity('+1')).toBe('+1');
    expect(canonicalQuantity('01Gi')).toBe('01Gi');
    expect(canonicalQuantity('1E3')).toBe('1E3');
    expect(canonicalQuantity('+1000')).toBe('1k');
  });

  it('has no answer for what does not parse, or what Go would write without a suffix', () => {
    for (const q of ['', 'abc', '1.2.3', '1i', '1MM', '--1', '1+1.0M']) expect(canonicalQuantity(q), q).toBeUndefined();
    expect(canonicalQuantity(Number.NaN)).toBeUndefined();
    expect(canonicalQuantity('1000E')).toBeUndefined();
  });
});
