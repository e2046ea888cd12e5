// Kubernetes' CEL library functions as CRD rules, admission policies and match conditions evaluate them: isIP and
// isCIDR with Go's netip rules (no leading zeros, zones or IPv4-mapped IPv6), the regex library's find/findAll, and
// the lists library (isSorted, sum, min, max, indexOf, lastIndexOf) with its empty-list errors.
import { describe, expect, it } from 'vitest';
import { compile } from '../../../main/apiserver/registry/custom-cel';
import { celIPFamily, celIsCIDR } from '../../../main/apiserver/registry/cel-net';

function run(expr: string, self: unknown = null): unknown {
  const p = compile(expr);
  if (p instanceof Error) throw p;
  const out = p({ self: self as never });
  if (out instanceof Error) throw out;
  return out;
}

describe('Kubernetes CEL libraries', () => {
  it('parses IPs as Go netip does', () => {
    expect(['1.2.3.4', '::1', '2001:db8::8a2e:370:7334', '::', '64:ff9b::1.2.3.4'].map(celIPFamily)).toEqual([4, 6, 6, 6, 6]);
    expect(['01.2.3.4', '1.2.3', 'fe80::1%eth0', '::ffff:1.2.3.4', '::ffff:0102:0304', '1::2:3:4:5:6:7:8', 'a.b.c.d', ''].map(celIPFamily))
      .toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(['10.0.0.0/8', '10.1.2.3/8', '::/0', '2001:db8::/129', '10.0.0.0/33', '10.0.0.0/08', '10.0.0.0'].map(celIsCIDR))
      .toEqual([true, true, true, false, false, false, false]);
    expect(run("isIP('10.0.0.1') && !isIP('host.example') && isCIDR('192.168.0.0/16')")).toBe(true);
  });

  it('finds regex matches', () => {
    expect(run("'abc 123 def 456'.find('[0-9]+')")).toBe('123');
    expect(run("'abc'.find('[0-9]+')")).toBe('');
    expect(run("'abc 123 def 456'.findAll('[0-9]+') == ['123', '456']")).toBe(true);
    expect(run("'1 2 3'.findAll('[0-9]', 2) == ['1', '2'] && 'x'.findAll('[0-9]').size() == 0")).toBe(true);
    expect(() => run("'x'.find('(')")).toThrow(/Illegal regex/);
  });

  it('answers the lists library', () => {
    expect(run('[1, 2, 3].isSorted() && ![3, 1].isSorted() && ["a", "b"].isSorted()')).toBe(true);
    expect(run('[1, 2, 3].sum()')).toBe(6n);
    expect(run('[].sum()')).toBe(0n);
    expect(run('[4, 1, 9].min() == 1 && [4, 1, 9].max() == 9')).toBe(true);
    expect(run('[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && [1].indexOf(7) == -1')).toBe(true);
    expect(() => run('[].min()')).toThrow(/min called on empty list/);
    expect(run('self.x.max()', { x: [3n, 5n] })).toBe(5n);
  });
});
