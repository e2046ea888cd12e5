// An attach that containerd accepted for a container already gone (its store had not yet recorded the exit) ends with
// Success and no output: the agent asks the runtime once the streams have closed and, when the container had exited
// before the attach's streams were joined, answers with containerd's words for that state, so that kubectl falls back
// to the log (vm-images/agent/server/attach-exited.ts). Stand-ins for containerd's streaming channels and its
// ContainerStatus; a real WebSocket between the agent's relay and a client.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { execWebSocketServer, relayExec } from '../../../vm-images/agent/server/exec';
import type { ExecStreams } from '../../../vm-images/agent/server/cri-exec-stream';
import { attachExitedStatus, exitedBefore } from '../../../vm-images/agent/server/attach-exited';
import type { ContainerStatus } from '../../../vm-images/agent/cri/types';
import { CHANNEL } from '../../../main/protocol/exec-channels';

const SUCCESS = JSON.stringify({ metadata: {}, status: 'Success' });

let server: Server | undefined;
afterEach(async () => {
  server?.close();
  server = undefined;
});

/** The runtime's side of one attach: what it writes on stdout and on its status channel, then the end. */
function runtimeStreams(stdout: string, status: string): ExecStreams {
  const error = new PassThrough();
  const out = new PassThrough();
  setImmediate(() => {
    if (stdout) out.write(stdout);
    out.end();
    error.end(status);
  });
  return { session: { close: () => undefined }, error, stdout: out } as unknown as ExecStreams;
}

/** Relays `streams` to a real WebSocket client; what the client got on each channel. */
async function attachThrough(streams: ExecStreams, quietEnd: () => Promise<Buffer | undefined>): Promise<Map<number, string>> {
  const wss: WebSocketServer = execWebSocketServer();
  server = createServer();
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => relayExec(ws, streams, quietEnd)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, ['v5.channel.k8s.io']);
  const got = new Map<number, string>();
  client.on('message', (d: Buffer) => got.set(d[0], (got.get(d[0]) ?? '') + d.subarray(1).toString()));
  await once(client, 'close');
  return got;
}

const status = (state: ContainerStatus['state'], finishedNs: bigint): ContainerStatus =>
  ({ id: 'c1', state, finished_at: String(finishedNs) } as ContainerStatus);

describe('an attach that joined a container already gone', () => {
  it('answers with the runtime\'s words for an exited container when nothing came and the stream said Success', async () => {
    const got = await attachThrough(runtimeStreams('', SUCCESS), async () => attachExitedStatus());
    expect(got.get(CHANNEL.stdout)).toBeUndefined();
    expect(JSON.parse(got.get(CHANNEL.error) ?? '{}')).toEqual({
      metadata: {}, status: 'Failure', reason: 'InternalError', code: 500,
      message: 'Internal error occurred: error attaching to container: container is in CONTAINER_EXITED state',
      details: { causes: [{ message: 'error attaching to container: container is in CONTAINER_EXITED state' }] },
    });
  });

  it('leaves an attach that relayed output as it ended, without asking', async () => {
    let asked = 0;
    const got = await attachThrough(runtimeStreams('bye\n', SUCCESS), async () => { asked++; return attachExitedStatus(); });
    expect(got.get(CHANNEL.stdout)).toBe('bye\n');
    expect(JSON.parse(got.get(CHANNEL.error) ?? '{}')).toMatchObject({ status: 'Success' });
    expect(asked).toBe(0);
  });

  it('exitedBefore: true only for a container the runtime records as exited before the attach\'s streams were joined', async () => {
    const since = Date.now();
    const sinceNs = BigInt(since) * 1_000_000n;
    const cri = (s: ContainerStatus) => ({ containerStatus: async () => s });
    expect(await exitedBefore(cri(status('CONTAINER_EXITED', sinceNs - 5_000_000n)), 'c1', since)).toBe(true);
    // Exited after the streams were joined: output may have been relayed or lost as with any attach; it stands.
    expect(await exitedBefore(cri(status('CONTAINER_EXITED', sinceNs + 5_000_000n)), 'c1', since)).toBe(false);
    // Still running once its streams closed (it closed its own output): it stands, after the runtime had its moment.
    expect(await exitedBefore(cri(status('CONTAINER_RUNNING', 0n)), 'c1', since, 100)).toBe(false);
    // The exit recorded a moment after the streams closed.
    let calls = 0;
    const lagging = { containerStatus: async () => (++calls < 3 ? status('CONTAINER_RUNNING', 0n) : status('CONTAINER_EXITED', sinceNs - 1n)) };
    expect(await exitedBefore(lagging, 'c1', since)).toBe(true);
    expect(calls).toBe(3);
  });
});
