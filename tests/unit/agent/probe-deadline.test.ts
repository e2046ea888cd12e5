// A probe's deadline (vm-images/agent/pods/probe-check.ts): an answer (or a TCP connection) that reached the agent before the deadline counts
// even when the agent's event loop was held up past it (a busy machine), and an answer that never comes fails the
// probe with the kubelet's words once the deadline passes. The HTTP server is a process of its own, so it answers while
// this one is held up.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Probe } from 'kubernetes-types/core/v1';
import { runProbe, type ProbeTarget } from '../../../vm-images/agent/pods/probe-check';

/** A server answering GET /slow after 300 ms and never answering GET /never; prints its port. */
const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => { if (req.url === '/slow') setTimeout(() => res.end('ok'), 300); });
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`;

let server: ChildProcess;
let httpPort = 0;

beforeAll(async () => {
  server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(server.stdout!, 'data')) as [Buffer];
  httpPort = Number(line.toString().trim());
});

afterAll(() => {
  server?.kill();
});

const target = { podIP: '127.0.0.1', containerId: 'c1', container: { name: 'app' } } as ProbeTarget;

/**
 * Holds this process's event loop for `ms`, starting `after` ms from now (the agent stalled on a busy machine), from
 * the loop's check phase as work done after I/O would: the loop's next turn runs its expired timers before it reads
 * what arrived meanwhile.
 */
function stall(after: number, ms: number): void {
  setTimeout(() => setImmediate(() => hold(ms)), after);
}

function hold(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* held up */ }
}

describe('a probe attempt against its deadline', () => {
  it('counts an HTTP answer that came in time although the agent looked only after the deadline', async () => {
    // The answer comes ≈ 300 ms in, well before the 2 s deadline, while this process is held up until ≈ 3 s.
    const probe: Probe = { httpGet: { path: '/slow', port: httpPort }, timeoutSeconds: 2 };
    const result = runProbe(probe, target);
    stall(50, 3000);
    expect(await result).toEqual({ ok: true, message: '' });
  });

  it('counts a TCP connection made in time although the agent looked only after the deadline', async () => {
    // The server's kernel accepts the connection at once, while this process is held up for 1.5 s (past the 1 s
    // deadline) right after it asked to connect (net.connect to an IP address connects on the next tick, before the
    // hold), from the loop's check phase: its next turn runs the expired timer before it polls for the connection.
    const probe: Probe = { tcpSocket: { port: httpPort }, timeoutSeconds: 1 };
    const result = new Promise<Awaited<ReturnType<typeof runProbe>>>((resolve) => setImmediate(() => {
      resolve(runProbe(probe, target));
      process.nextTick(() => hold(1500));
    }));
    expect(await result).toEqual({ ok: true, message: '' });
  });

  it('fails with the kubelet\'s words when no answer comes by the deadline', async () => {
    const probe: Probe = { httpGet: { path: '/never', port: httpPort }, timeoutSeconds: 1 };
    expect(await runProbe(probe, target)).toEqual({ ok: false, message: `Get "http://127.0.0.1:${httpPort}/never": context deadline exceeded` });
  });
});
