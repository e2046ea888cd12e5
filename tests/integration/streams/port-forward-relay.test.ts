// The agent's port-forward relay (vm-images/agent/server/port-forward.ts) seen from the control plane's end of the
// tunnel (main/protocol/pod-port-stream.ts), with the real handler in a stand-in agent and local TCP servers as pods:
// a pod ending its side still gets what comes after (TCP half-close, as kubectl port-forward keeps it); the tunnel closes
// once both sides are done; a pod resetting its connection closes the tunnel rather than leaving it open to nothing.
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialPodPort, type PodPortStream } from '../../../main/protocol/pod-port-stream';
import { listenLocal, startStandinAgent, type StandinAgent } from '../../helpers/standin-agent';
import { waitFor } from '../../helpers/wait';

let agent: StandinAgent;
const servers: net.Server[] = [];

beforeAll(async () => { agent = await startStandinAgent(); });
afterAll(async () => {
  for (const s of servers) s.close();
  await agent.close();
});

/** A pod on a local port: `onConnection` gets each connection (half-open: its end does not end ours). */
async function pod(onConnection: (s: net.Socket) => void): Promise<number> {
  const server = net.createServer({ allowHalfOpen: true }, onConnection);
  servers.push(server);
  return listenLocal(server);
}

/** What the tunnel brings until the pod's side ends, and its end. */
function readToEnd(stream: PodPortStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    stream.setEncoding('utf8').on('data', (d: string) => (got += d)).once('end', () => resolve(got)).once('error', reject);
  });
}

const closed = (stream: PodPortStream): Promise<void> => new Promise((resolve) => { if (stream.destroyed) resolve(); else stream.once('close', () => resolve()); });

describe('the port-forward relay', () => {
  it('passes on what is sent after the pod ended its side, then closes the tunnel when both sides are done', async () => {
    let received = '';
    let podSawEnd = false;
    const port = await pod((s) => {
      s.end('bye'); // the pod is done sending, and still reads
      s.setEncoding('utf8').on('data', (d: string) => (received += d)).on('end', () => { podSawEnd = true; });
    });
    const stream = await dialPodPort(agent.endpoint, 'n1', 'default', 'p', port);
    expect(await readToEnd(stream)).toBe('bye');
    stream.end('after the pod ended');
    await waitFor(() => podSawEnd, 'the pod to read to the end', 10_000);
    expect(received).toBe('after the pod ended');
    await closed(stream);
  });

  it('closes the tunnel when the pod resets its connection', async () => {
    const port = await pod((s) => { s.write('hello'); s.once('data', () => s.resetAndDestroy()); });
    const stream = await dialPodPort(agent.endpoint, 'n1', 'default', 'p', port);
    stream.on('error', () => undefined);
    const first = await new Promise<string>((resolve) => stream.once('data', (d: Buffer) => resolve(d.toString())));
    expect(first).toBe('hello');
    stream.write('ping');
    await closed(stream);
  });

  it('closes the tunnel when the pod closes both ways and the other side ends too', async () => {
    const port = await pod((s) => s.end('done'));
    const stream = await dialPodPort(agent.endpoint, 'n1', 'default', 'p', port);
    expect(await readToEnd(stream)).toBe('done');
    stream.end();
    await closed(stream);
  });
});
