import { describe, expect, it } from 'vitest';
import { CHANNEL, channelMessage, execStreamTypes } from '../../../main/protocol/exec-channels';

describe('exec channels', () => {
  it('lists the SPDY streams in client-go order; a TTY has resize and no stderr', () => {
    expect(execStreamTypes({ stdin: true, stdout: true, stderr: true, tty: false })).toEqual(['error', 'stdin', 'stdout', 'stderr']);
    expect(execStreamTypes({ stdin: true, stdout: true, stderr: true, tty: true })).toEqual(['error', 'stdin', 'stdout', 'resize']);
    expect(execStreamTypes({ stdin: false, stdout: false, stderr: true, tty: false })).toEqual(['error', 'stderr']);
  });

  it('prefixes a WebSocket message with its channel byte', () => {
    expect([...channelMessage(CHANNEL.stderr, Buffer.from('x'))]).toEqual([2, 0x78]);
    expect([...channelMessage(CHANNEL.close, Buffer.from([CHANNEL.stdin]))]).toEqual([255, 0]);
  });
});
