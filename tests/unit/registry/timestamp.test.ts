import { describe, expect, it } from 'vitest';
import { timestamp } from '../../../main/apiserver/registry/objects';

describe('timestamp', () => {
  it('writes RFC 3339 seconds, right across second boundaries and back in time', () => {
    const at = (iso: string): string => timestamp(new Date(iso));
    expect(at('2026-11-26T14:00:00.999Z')).toBe('2026-11-26T14:00:00Z');
    expect(at('2026-11-26T14:00:00.001Z')).toBe('2026-11-26T14:00:00Z');
    expect(at('2026-11-26T14:00:01.000Z')).toBe('2026-11-26T14:00:01Z');
    expect(at('2026-11-26T13:59:59.500Z')).toBe('2026-11-26T13:59:59Z');
    expect(at('1969-12-31T23:59:59.500Z')).toBe('1969-12-31T23:59:59Z');
    expect(at('1970-01-01T00:00:00.500Z')).toBe('1970-01-01T00:00:00Z');
    expect(() => timestamp(new Date(NaN))).toThrow(RangeError);
  });
});
