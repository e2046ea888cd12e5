// pods/exec over SPDY/3.1 (remotecommand v4.channel.k8s.io): what kubectl falls back to when its WebSocket
// upgrade is refused. The agent's /exec WebSocket is dialled first, so a refusal there (e.g. container not
// running) is answered as the same HTTP error kubectl got for the WebSocket attempt; otherwise the SPDY
// streams kubectl opens (error, stdin, stdout, stderr, resize) are relayed to the agent's v5 channels.
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { SpdySession, type SpdyStream } from '../../protocol/spdy/session';
import { CHANNEL, SPDY_EXEC_PROTOCOL, channelMessage, execStreamTypes, type ExecChannels } from '../../protocol/exec-channels';
import { rawBuffer } from '../../protocol/ws-data';

export function negotiateSpdyExec(header: string | string[] | undefined): string | undefined {
  const offered = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((s) => s.trim());
  return offered.includes(SPDY_EXEC_PROTOCOL) ? SPDY_EXEC_PROTOCOL : undefined;
}

/** Takes over `socket` (already answered 101) and relays kubectl's SPDY streams to the agent WebSocket (paused). */
export function serveSpdyExec(socket: Duplex, head: Buffer, agent: WebSocket, flags: ExecChannels): void {
  const session = new SpdySession(socket, 'server', head);
  const streams = new Map<string, SpdyStream>();
  const expected = new Set<string>(execStreamTypes(flags));
  const pendingFromAgent: Buffer[] = [];
  let agentClosed = false;
  session.on('error', () => undefined);

  const send = (ch: number, data: Buffer): void => {
    if (agent.readyState === agent.OPEN) agent.send(channelMessage(ch, data));
  };
  const deliver = (msg: Buffer): void => {
    const ch = msg[0];
    const payload = msg.subarray(1);
    const target = ch === CHANNEL.stdout ? streams.get('stdout') : ch === CHANNEL.stderr ? streams.get('stderr') : ch === CHANNEL.error ? streams.get('error') : undefined;
    if (target && !target.writableEnded && payload.length) target.write(payload);
  };
  const finish = (): void => {
    for (const t of ['stdout', 'stderr', 'error']) {
      const s = streams.get(t);
      if (s && !s.writableEnded && !s.destroyed) s.end();
    }
    session.close();
  };
  const ready = (): boolean => [...expected].every((t) => streams.has(t));

  agent.on('message', (raw: RawData) => {
    const msg = rawBuffer(raw);
    if (!msg.length) return;
    if (ready()) deliver(msg);
    else pendingFromAgent.push(msg);
  });
  agent.on('close', () => {
    agentClosed = true;
    if (ready()) finish();
  });
  agent.on('error', () => undefined);
  session.on('close', () => { if (agent.readyState === agent.OPEN) agent.close(1000); });

  session.on('stream', (s: SpdyStream) => {
    const type = s.headers.streamtype ?? '';
    if (!expected.has(type) || streams.has(type)) { s.resetStream(); return; }
    s.reply();
    streams.set(type, s);
    s.on('error', () => undefined);
    if (type === 'stdin') {
      s.on('data', (d: Buffer) => send(CHANNEL.stdin, d));
      s.on('end', () => send(CHANNEL.close, Buffer.from([CHANNEL.stdin])));
    } else if (type === 'resize') {
      s.on('data', (d: Buffer) => send(CHANNEL.resize, d));
    } else {
      s.resume();
    }
    if (ready()) {
      for (const m of pendingFromAgent.splice(0)) deliver(m);
      if (agentClosed) finish();
    }
  });
  agent.resume();
}
