import { describe, expect, it } from 'vitest';
import { writeTar } from '../../../vm-images/images/tar';

function field(block: Buffer, off: number, len: number): string {
  return block.subarray(off, off + len).toString('utf8').replace(/\0.*$/s, '');
}

describe('ustar writer', () => {
  it('writes sorted entries with valid checksums, padding and the end marker', () => {
    const tar = writeTar([
      { type: 'file', path: 'b.txt', data: Buffer.from('hello'), mode: 0o755 },
      { type: 'dir', path: 'a' },
      { type: 'symlink', path: 'a/sh', target: 'busybox' },
    ], 1234);
    expect(tar.length % 512).toBe(0);
    const names: string[] = [];
    for (let off = 0; off < tar.length - 1024;) {
      const h = tar.subarray(off, off + 512);
      names.push(field(h, 0, 100));
      const sum = parseInt(field(h, 148, 8).trim(), 8);
      const copy = Buffer.from(h);
      copy.fill(0x20, 148, 156);
      expect(copy.reduce((a, b) => a + b, 0)).toBe(sum);
      expect(field(h, 257, 6)).toBe('ustar');
      expect(parseInt(field(h, 136, 12), 8)).toBe(1234);
      const size = parseInt(field(h, 124, 12), 8);
      off += 512 + Math.ceil(size / 512) * 512;
    }
    expect(names).toEqual(['a/', 'a/sh', 'b.txt']);
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true);
  });
  it('is deterministic', () => {
    const e = [{ type: 'file' as const, path: 'x', data: Buffer.from('1') }];
    expect(writeTar(e).equals(writeTar(e))).toBe(true);
  });
});
