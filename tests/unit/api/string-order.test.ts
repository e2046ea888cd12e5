// Go's string order (sort.Strings: UTF-8 bytes), which Kubernetes sorts names and resource names in — not the locale's.
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../../main/api/string-order';

describe('compareCodePoints', () => {
  it('sorts as Go\'s sort.Strings: upper case before lower case, punctuation by its byte', () => {
    // Go: sort.Strings([]string{"b", "B", "a-b", "a_b", "ab", "a.b", "example.com/Foo", "example.com/bar"})
    const names = ['b', 'B', 'a-b', 'a_b', 'ab', 'a.b', 'example.com/Foo', 'example.com/bar'];
    expect([...names].sort(compareCodePoints)).toEqual(['B', 'a-b', 'a.b', 'a_b', 'ab', 'b', 'example.com/Foo', 'example.com/bar']);
    // The locale's order puts them otherwise (which is why nothing Kubernetes-visible may use it).
    expect([...names].sort((x, y) => x.localeCompare(y))).not.toEqual([...names].sort(compareCodePoints));
  });

  it('agrees with UTF-8 byte order beyond the BMP', () => {
    const words = ['\uffff', '\u{10000}', '\ue000', 'z', '\u00e9'];
    const bytes = (s: string) => Buffer.from(s, 'utf8');
    expect([...words].sort(compareCodePoints)).toEqual([...words].sort((x, y) => Buffer.compare(bytes(x), bytes(y))));
  });
});
