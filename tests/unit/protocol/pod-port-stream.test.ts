// The port-forward WebSocket as a Duplex (PodPortStream) against a real ws server on loopback: when the pod's side
// closes, what it sent before is still read to the end and the stream ends cleanly — an HTTP response delimited by the
// connection's close (no Content-Length) arrives whole through the ingress proxy and pods/proxy, not as "aborted".
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { PodPortStream } from '../../../main/protocol/pod-port-stream';

let server: WebSocketServer | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that sends `messages` and closes; the client's WebSocket, open and paused as agentWebSocket hands it over. */
async function connect(messages: string[]): Promise<WebSocket> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (ws) => {
    for (const m of messages) ws.send(Buffer.from(m));
    ws.close(1000);
  });
  await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
  const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await new Promise<void>((resolve, reject) => { ws.once('open', () => { ws.pause(); resolve(); }); ws.once('error', reject); });
  return ws;
}

describe('PodPortStream', () => {
  it('keeps what the pod sent before it closed, and ends without an error', async () => {
    const ws = await connect(['first ', 'second ', 'third']);
    const stream = new PodPortStream(ws);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const errors: Error[] = [];
    stream.on('error', (e: Error) => errors.push(e));
    const chunks: string[] = [];
    // A slow reader: it takes the first chunk, then stops until the pod's side has closed.
    stream.once('data', (d: Buffer) => { chunks.push(d.toString()); stream.pause(); });
    await closed;
    let endedCleanly = false;
    stream.once('end', () => { endedCleanly = true; });
    // The stream's own close comes after its end, or without one (what was left is lost): either way it comes.
    const streamClosed = new Promise<void>((resolve) => (stream.destroyed ? resolve() : stream.once('close', () => resolve())));
    stream.on('data', (d: Buffer) => chunks.push(d.toString()));
    stream.resume();
    await streamClosed;
    expect(chunks.join('')).toBe('first second third');
    expect(endedCleanly).toBe(true);
    expect(errors).toEqual([]);
  });
});
