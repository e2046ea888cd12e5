// The CRI log parser, P/F joining, the kubelet's timestamp format, and tail/since/limit selection.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LogAssembler, fixedNanoTimestamp, formatEntry, parseCriLine, parseCriLog, splitLines } from '../../../vm-images/agent/server/cri-log';
import { LogOptionsError, parseLogOptions, type LogOptions } from '../../../vm-images/agent/server/log-options';
import { ByteLimit } from '../../../vm-images/agent/server/log-select';
import { streamLogFile } from '../../../vm-images/agent/server/log-stream';
import { tailOffset } from '../../../vm-images/agent/server/log-tail';
import { chooseLogInstance } from '../../../vm-images/agent/server/container-logs';

const opts = (o: Partial<LogOptions> = {}): LogOptions => ({ follow: false, previous: false, timestamps: false, ...o });

describe('CRI log lines', () => {
  it('parses time, stream, tag and message (spaces kept, empty messages allowed)', () => {
    expect(parseCriLine('2026-11-26T13:00:00.123456789Z stdout F hello  world ')).toEqual({
      time: '2026-11-26T13:00:00.123456789Z', ms: Date.parse('2026-11-26T13:00:00.123Z'), stream: 'stdout', partial: false, msg: 'hello  world ',
    });
    expect(parseCriLine('2026-11-26T13:00:00Z stderr P part')).toMatchObject({ stream: 'stderr', partial: true, msg: 'part' });
    expect(parseCriLine('2026-11-26T13:00:00.5Z stdout F')).toMatchObject({ msg: '' });
    expect(parseCriLine('2026-11-26T13:00:00.5Z stdout F ')).toMatchObject({ msg: '' });
  });

  it('rejects malformed lines', () => {
    for (const l of ['', 'garbage', '2026-11-26T13:00:00Z stdin F x', '2026-11-26T13:00:00Z stdout X x', '2026-11-26T13:00:00Z stdout']) {
      expect(parseCriLine(l)).toBeUndefined();
    }
  });

  it('joins P chunks until their F chunk, per stream', () => {
    const text = [
      '2026-11-26T13:00:00.1Z stdout P aaa',
      '2026-11-26T13:00:00.2Z stderr F err line',
      '2026-11-26T13:00:00.3Z stdout P bbb',
      '2026-11-26T13:00:00.4Z stdout F ccc',
      'broken line',
      '2026-11-26T13:00:00.5Z stdout F next',
      '',
    ].join('\n');
    expect(parseCriLog(text).map((e) => [e.time, e.stream, e.msg])).toEqual([
      ['2026-11-26T13:00:00.2Z', 'stderr', 'err line'],
      ['2026-11-26T13:00:00.1Z', 'stdout', 'aaabbbccc'],
      ['2026-11-26T13:00:00.5Z', 'stdout', 'next'],
    ]);
    const asm = new LogAssembler();
    expect(asm.push(parseCriLine('2026-11-26T13:00:00Z stdout P x')!)).toBeUndefined();
    expect(asm.push(parseCriLine('2026-11-26T13:00:01Z stdout F y')!)).toMatchObject({ msg: 'xy', time: '2026-11-26T13:00:00Z' });
  });

  it('keeps an unterminated line for the next read', () => {
    const a = splitLines('', 'one\ntw');
    expect(a).toEqual({ lines: ['one'], rest: 'tw' });
    expect(splitLines(a.rest, 'o\n')).toEqual({ lines: ['two'], rest: '' });
  });

  it('formats timestamps with nine fractional digits, as the kubelet (RFC3339NanoFixed)', () => {
    expect(fixedNanoTimestamp('2026-11-26T13:00:00.1Z')).toBe('2026-11-26T13:00:00.100000000Z');
    expect(fixedNanoTimestamp('2026-11-26T13:00:00Z')).toBe('2026-11-26T13:00:00.000000000Z');
    expect(fixedNanoTimestamp('2026-11-26T13:00:00.123456789+02:00')).toBe('2026-11-26T13:00:00.123456789+02:00');
    const e = { time: '2026-11-26T13:00:00.5Z', ms: 0, stream: 'stdout' as const, msg: 'hi' };
    expect(formatEntry(e, true)).toBe('2026-11-26T13:00:00.500000000Z hi\n');
    expect(formatEntry(e, false)).toBe('hi\n');
  });
});

describe('log options and selection', () => {
  it('parses the pods/log query', () => {
    const now = Date.parse('2026-11-26T13:00:10Z');
    expect(parseLogOptions(new URLSearchParams('follow=true&tailLines=2&timestamps=true&previous=false&limitBytes=10&sinceSeconds=5'), now))
      .toEqual({ follow: true, previous: false, timestamps: true, tailLines: 2, limitBytes: 10, sinceMs: now - 5000 });
    expect(parseLogOptions(new URLSearchParams('sinceTime=2026-11-26T13:00:03Z')).sinceMs).toBe(Date.parse('2026-11-26T13:00:03Z'));
    expect(() => parseLogOptions(new URLSearchParams('tailLines=x'))).toThrow(LogOptionsError);
    expect(() => parseLogOptions(new URLSearchParams('limitBytes=0'))).toThrow('limitBytes: Invalid value: 0: must be greater than or equal to 1');
    expect(() => parseLogOptions(new URLSearchParams('sinceSeconds=1&sinceTime=2026-11-26T13:00:03Z'))).toThrow('at most one of sinceTime or sinceSeconds');
  });

  const dir = mkdtempSync(join(tmpdir(), 'flt-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const render = async (path: string, o: Partial<LogOptions>): Promise<string> => {
    let out = '';
    const sink = new Writable({ write(c: Buffer, _e, cb) { out += c.toString(); cb(); } });
    await streamLogFile(path, opts(o), sink, { running: async () => false });
    return out;
  };
  const fourLines = [1, 2, 3, 4].map((i) => `2026-11-26T13:00:0${i}Z stdout F line${i}`).join('\n') + '\n';

  it('tails, filters by time and limits bytes', async () => {
    const p = file('four.log', fourLines);
    expect(await render(p, {})).toBe('line1\nline2\nline3\nline4\n');
    expect(await render(p, { tailLines: 2 })).toBe('line3\nline4\n');
    expect(await render(p, { tailLines: 0 })).toBe('');
    expect(await render(p, { tailLines: 10 })).toBe('line1\nline2\nline3\nline4\n');
    expect(await render(p, { sinceMs: Date.parse('2026-11-26T13:00:03Z') })).toBe('line3\nline4\n');
    expect(await render(p, { limitBytes: 8 })).toBe('line1\nli');
    expect(await render(p, { tailLines: 1, timestamps: true })).toBe('2026-11-26T13:00:04.000000000Z line4\n');
    const limit = new ByteLimit(8);
    expect(limit.cut('line1\n').toString()).toBe('line1\n');
    expect(limit.reached).toBe(false);
    expect(limit.cut('line2\n').toString()).toBe('li');
    expect(limit.reached).toBe(true);
  });

  it('finds the tail of a large log from its end, never starting inside a P/F entry', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++) lines.push(`2026-11-26T13:00:00.${String(i).padStart(9, '0')}Z stdout F entry ${i} ${'x'.repeat(40)}`);
    lines.push('2026-11-26T13:00:01Z stdout P part-a-', '2026-11-26T13:00:01Z stdout P part-b-', '2026-11-26T13:00:01Z stdout F part-c');
    lines.push('2026-11-26T13:00:02Z stdout F last');
    const p = file('big.log', lines.join('\n') + '\n2026-11-26T13:00:03Z stdout F unfinished');
    expect(await render(p, { tailLines: 2 })).toBe('part-a-part-b-part-c\nlast\n');
    expect((await render(p, { tailLines: 3 })).split('\n')[0]).toMatch(/^entry 19999 x+$/);
    const fh = await open(p, 'r');
    const { size } = await fh.stat();
    const off = await tailOffset(fh, size, 5000);
    await fh.close();
    const text = (await render(p, {})).split('\n');
    expect((await render(p, { tailLines: 5000 })).split('\n')).toEqual(text.slice(text.length - 5001));
    expect(off).toBeGreaterThan(0);
  });

  it('picks the instance or words the error as the kubelet does', () => {
    const running = { name: 'c', image: 'i', imageID: '', ready: true, restartCount: 0, state: { running: {} } };
    expect(chooseLogInstance(running, 'p', false)).toBe('current');
    expect(() => chooseLogInstance(running, 'p', true)).toThrow('previous terminated container "c" in pod "p" not found');
    const waiting = { ...running, state: { waiting: { reason: 'ContainerCreating' } } };
    expect(() => chooseLogInstance(waiting, 'p', false)).toThrow('container "c" in pod "p" is waiting to start: ContainerCreating');
    const crashLoop = { ...running, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } };
    expect(chooseLogInstance(crashLoop, 'p', false)).toBe('current');
    expect(chooseLogInstance(crashLoop, 'p', true)).toBe('previous');
    expect(() => chooseLogInstance({ ...running, state: { waiting: { reason: 'ImagePullBackOff' } } }, 'p', false)).toThrow('is waiting to start: trying and failing to pull image');
  });
});
