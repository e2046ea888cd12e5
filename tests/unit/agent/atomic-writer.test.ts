// The kubelet's atomic writer: timestamped directory, `..data` swapped in one rename, user-visible names
// as symlinks into `..data`, no write when nothing changed, names that left the payload removed, invalid
// paths refused; and the fsGroup ownership the kubelet applies to volumes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { timestampPrefix, validatePayloadPath, writeAtomic, type Payload } from '../../../vm-images/agent/volumes/atomic-writer';
import { fsUserOf, setVolumeOwnership } from '../../../vm-images/agent/volumes/fs-group';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-atomic-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const payload = (files: Record<string, [string, number?]>): Payload =>
  new Map(Object.entries(files).map(([p, [data, mode]]) => [p, { data: Buffer.from(data), mode: mode ?? 0o644 }]));

function dirOf(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d);
  return d;
}

describe('atomic writer', () => {
  it('writes into a timestamped dir behind ..data, with symlinks for the top-level names and the modes asked for', () => {
    const d = dirOf('first');
    expect(writeAtomic(d, payload({ 'a.conf': ['A'], 'sub/b.txt': ['B', 0o400] }))).toBe(true);
    const target = fs.readlinkSync(path.join(d, '..data'));
    expect(target).toMatch(/^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\w+$/);
    expect(fs.readlinkSync(path.join(d, 'a.conf'))).toBe('..data/a.conf');
    expect(fs.readlinkSync(path.join(d, 'sub'))).toBe('..data/sub');
    expect(fs.readFileSync(path.join(d, 'sub/b.txt'), 'utf8')).toBe('B');
    expect(fs.statSync(path.join(d, 'a.conf')).mode & 0o777).toBe(0o644);
    expect(fs.statSync(path.join(d, 'sub/b.txt')).mode & 0o777).toBe(0o400);
    expect(fs.statSync(path.join(d, target)).mode & 0o777).toBe(0o755);
    expect(fs.readdirSync(d).sort()).toEqual(['..data', target, 'a.conf', 'sub'].sort());
  });

  it('does not write unchanged content, swaps ..data on a change, removes names that left and the old dir', () => {
    const d = dirOf('update');
    writeAtomic(d, payload({ keep: ['1'], gone: ['x'] }));
    const first = fs.readlinkSync(path.join(d, '..data'));
    expect(writeAtomic(d, payload({ keep: ['1'], gone: ['x'] }))).toBe(false);
    expect(fs.readlinkSync(path.join(d, '..data'))).toBe(first);
    expect(writeAtomic(d, payload({ keep: ['2'], added: ['y'] }))).toBe(true);
    const second = fs.readlinkSync(path.join(d, '..data'));
    expect(second).not.toBe(first);
    expect(fs.readFileSync(path.join(d, 'keep'), 'utf8')).toBe('2');
    expect(fs.readdirSync(d).sort()).toEqual(['..data', second, 'added', 'keep'].sort());
    expect(writeAtomic(d, payload({}))).toBe(true);
    expect(fs.readdirSync(d).filter((n) => !n.startsWith('..'))).toEqual([]);
  });

  it('refuses absolute paths and .. the way the kubelet does, writing nothing', () => {
    expect(validatePayloadPath('/etc/passwd')).toBe('invalid path: must be relative path: /etc/passwd');
    expect(validatePayloadPath('a/../../b')).toBe("invalid path: must not contain '..': a/../../b");
    expect(validatePayloadPath('..hidden')).toBe("invalid path: must not start with '..': ..hidden");
    const d = dirOf('bad');
    expect(() => writeAtomic(d, payload({ ok: ['1'], '../x': ['2'] }))).toThrow("must not contain '..'");
    expect(fs.readdirSync(d)).toEqual([]);
  });

  it('names timestamped dirs as Go formats 2006_01_02_15_04_05', () => {
    expect(timestampPrefix(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('..2026_01_02_03_04_05.');
  });
});

describe('volume ownership', () => {
  it('gives files the fsGroup with group read (read-only volumes) or read-write, directories setgid', () => {
    const d = dirOf('owned');
    writeAtomic(d, payload({ f: ['x', 0o600] }));
    setVolumeOwnership(d, 1234, true);
    const rw = dirOf('owned-rw');
    fs.writeFileSync(path.join(rw, 'g'), 'y', { mode: 0o600 });
    setVolumeOwnership(rw, 1234, false);
    expect(fs.statSync(path.join(d, 'f')).gid).toBe(1234);
    expect(fs.lstatSync(path.join(d, 'f')).gid).toBe(1234);
    expect(fs.statSync(path.join(d, 'f')).mode & 0o7777).toBe(0o640);
    expect(fs.statSync(path.join(d, '..data')).mode & 0o7777).toBe(0o2755 | 0o440 | 0o110);
    expect(fs.statSync(rw).mode & 0o2070).toBe(0o2070);
    expect(fs.statSync(path.join(rw, 'g')).mode & 0o777).toBe(0o660);
  });

  it('FsUserFrom: the runAsUser all containers share, else none', () => {
    const spec = (users: Array<number | undefined>, podUser?: number) => ({
      spec: { securityContext: podUser === undefined ? {} : { runAsUser: podUser }, containers: users.map((u, i) => ({ name: `c${i}`, securityContext: u === undefined ? {} : { runAsUser: u } })) },
    });
    expect(fsUserOf(spec([1000, 1000]))).toBe(1000);
    expect(fsUserOf(spec([undefined, 1000], 1000))).toBe(1000);
    expect(fsUserOf(spec([1000, 1001]))).toBeUndefined();
    expect(fsUserOf(spec([undefined]))).toBeUndefined();
  });
});
