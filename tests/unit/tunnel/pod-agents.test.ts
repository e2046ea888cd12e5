// The proxy's keep-alive agents per pod port and TLS layer (main/tunnel/pod-tunnel.ts), through real tunnels of the
// stand-in agent to a local "pod": an agent under a layer no request has used for UNUSED_LAYER_MS (an old
// BackendTLSPolicy's, after its CA changed) is destroyed with its pooled tunnels when another agent is made, but not
// while a request is in flight on it; an agent without a layer stays.
import * as http from 'node:http';
import type * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSocket } from '../../../main/protocol/agent-connection';
import { PodAgents, UNUSED_LAYER_MS, type TunnelLayer } from '../../../main/tunnel/pod-tunnel';
import type { Target } from '../../../main/tunnel/endpoints';
import { closeServer, listenLocal, startStandinAgent, type StandinAgent } from '../../helpers/standin-agent';
import { waitFor } from '../../helpers/wait';

let agent: StandinAgent;
let pod: http.Server;
let target: Target;
const held: http.ServerResponse[] = [];
let closedConnections = 0;

beforeAll(async () => {
  agent = await startStandinAgent();
  pod = http.createServer((req, res) => { if (req.url === '/hold') held.push(res); else res.end('ok'); });
  // Idle keep-alive connections stay open on the pod's side (no `Keep-Alive: timeout` hint for the agent to follow).
  pod.keepAliveTimeout = 0;
  pod.on('connection', (s: net.Socket) => s.on('close', () => closedConnections++));
  target = { namespace: 'default', pod: 'web-0', node: 'n1', ip: '127.0.0.1', port: await listenLocal(pod) };
});

afterAll(async () => {
  await closeServer(pod);
  await agent?.close();
});

/** A pass-through layer told apart by its key (a BackendTLSPolicy's TLS, minus the TLS). */
const layer = (key: string): TunnelLayer => ({ key, wrap: (d) => Promise.resolve(asSocket(d)) });

function get(a: http.Agent, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: 'web-0', path, agent: a }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); }).on('error', reject);
  });
}

describe('PodAgents', () => {
  it('destroys an agent of a layer no request has used for a while, not while a request is in flight on it', async () => {
    let now = 0;
    const agents = new PodAgents(agent.endpoint, () => now);
    const plain = agents.get(target);
    const old = agents.get(target, layer('ca-1'));
    const inFlight = get(old, '/hold');
    await waitFor(() => held.length === 1 || undefined, 'the held request at the pod', 10_000);

    now += UNUSED_LAYER_MS + 1;
    agents.get(target, layer('ca-2'));
    held[0].end('done');
    expect(await inFlight).toBe(200);

    // Now idle in its pool: the next agent made drops it, and its tunnel to the pod closes.
    const closedBefore = closedConnections;
    now += UNUSED_LAYER_MS + 1;
    agents.get(target, layer('ca-3'));
    await waitFor(() => closedConnections > closedBefore || undefined, 'the old layer\'s pooled tunnel closed', 10_000);
    expect(agents.get(target, layer('ca-1'))).not.toBe(old);
    expect(agents.get(target)).toBe(plain);
    expect(await get(agents.get(target, layer('ca-3')), '/')).toBe(200);
    agents.close();
  });
});
