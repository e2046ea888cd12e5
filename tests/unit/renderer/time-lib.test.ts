// The node-lifecycle timings as the node drawer words them.
import { describe, expect, it } from 'vitest';
import { formatSeconds } from '../../../renderer/src/lib/time';

describe('formatSeconds', () => {
  it('says seconds under a minute, minutes and seconds above, and a dash for nonsense', () => {
    expect(formatSeconds(4)).toBe('4 s');
    expect(formatSeconds(0.5)).toBe('0.5 s');
    expect(formatSeconds(40)).toBe('40 s');
    expect(formatSeconds(300)).toBe('5 min');
    expect(formatSeconds(90)).toBe('1 min 30 s');
    expect(formatSeconds(-1)).toBe('—');
    expect(formatSeconds(Number.NaN)).toBe('—');
  });
});
