// The wire protocols below kubectl's everyday use, spoken directly to the real API server: exec with a TTY
// and a resize message (channel 4) over v5.channel.k8s.io, port-forward over raw SPDY/3.1 (kubectl's
// fallback when the WebSocket upgrade is refused), and port-forward over WebSocket channels (v4.channel.k8s.io and its
// base64 form: the kubelet's protocol, which python3-kubernetes speaks — run here too).
import { execFile } from 'node:child_process';
import * as https from 'node:https';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { Pod } from 'kubernetes-types/core/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, type RawData } from 'ws';
import { SpdySession, type SpdyStream } from '../../../main/protocol/spdy/session';
import { makePod, skipUnlessRoot, waitFor, waitStatus } from '../agent-runtime/support';
import { HELLO, NODE, PODS, exitOf, startStreamsRig, waitForOutput, type StreamsRig } from './support';

function readAll(s: SpdyStream): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
  });
}

describe.skipIf(skipUnlessRoot)('exec TTY and raw SPDY port-forward against the API server', () => {
  let rig: StreamsRig;

  beforeAll(async () => {
    rig = await startStreamsRig();
    const pod = await rig.run(makePod('proto', [{ name: 'web', image: HELLO, ports: [{ containerPort: 8080 }] }]));
    const echo = await rig.run(makePod('echo', [{ name: 'echo', image: HELLO, command: ['nc', '-ll', '-p', '9000', '-e', 'cat'] }]));
    await waitStatus(rig.pm, pod, 'Running', (s) => s.phase === 'Running' && !!s.containerStatuses?.[0]?.state?.running);
    await waitStatus(rig.pm, echo, 'Running', (s) => s.phase === 'Running' && !!s.containerStatuses?.[0]?.state?.running);
  });
  afterAll(async () => {
    await rig?.teardown();
  });

  const spdyUpgrade = (path: string, versions: string): Promise<{ socket: Socket; head: Buffer; protocol: unknown }> => new Promise((resolve, reject) => {
    const { core } = rig.cluster;
    const req = https.request({
      host: '127.0.0.1', port: core.api.port, method: 'POST', path, ca: core.caCertPem,
      headers: { Authorization: `Bearer ${core.auth.adminToken}`, Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': versions },
    });
    req.on('upgrade', (res, s, h) => resolve({ socket: s, head: h, protocol: res.headers['x-stream-protocol-version'] }));
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });

  it('exec with tty=true: the resize reaches the terminal, stdin is read, the status ends the stream', async () => {
    const { core } = rig.cluster;
    // The runtime applies a resize asynchronously to stdin (as with a real kubelet): the command waits for it.
    const script = 'until [ "$(stty size 2>/dev/null)" = "33 101" ]; do sleep 0.05; done; echo resized; read x; echo "got $x"; exit 7';
    const q = new URLSearchParams([['command', 'sh'], ['command', '-c'], ['command', script], ['stdin', 'true'], ['stdout', 'true'], ['tty', 'true']]);
    const ws = new WebSocket(`wss://127.0.0.1:${core.api.port}/api/v1/namespaces/default/pods/proto/exec?${q.toString()}`, ['v5.channel.k8s.io'], {
      headers: { Authorization: `Bearer ${core.auth.adminToken}` }, ca: core.caCertPem,
    });
    let stdout = '';
    let status = '';
    const closed = new Promise<number>((resolve) => ws.on('close', (code: number) => resolve(code)));
    ws.on('message', (raw: RawData) => {
      const d = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
      if (d[0] === 1) stdout += d.subarray(1).toString();
      if (d[0] === 3) status += d.subarray(1).toString();
    });
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    expect(ws.protocol).toBe('v5.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":101,"Height":33}')]));
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('go\n')]));
    expect(await closed).toBe(1000);
    expect(stdout).toContain('resized\r\n');
    expect(stdout).toContain('got go\r\n');
    expect(JSON.parse(status)).toMatchObject({
      status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    });
  });

  it('exec over SPDY/3.1 (kubectl\'s fallback): stdin with EOF, stdout, stderr and the exit status', async () => {
    const q = new URLSearchParams([['command', 'sh'], ['command', '-c'], ['command', 'cat; echo err >&2; exit 4'], ['stdin', 'true'], ['stdout', 'true'], ['stderr', 'true']]);
    const { socket, head } = await spdyUpgrade(`/api/v1/namespaces/default/pods/proto/exec?${q.toString()}`, 'v5.channel.k8s.io, v4.channel.k8s.io, v3.channel.k8s.io');
    const session = new SpdySession(socket, 'client', head);
    const error = await session.openStream({ streamtype: 'error' });
    error.end();
    const status = readAll(error);
    const stdin = await session.openStream({ streamtype: 'stdin' });
    const stdout = await session.openStream({ streamtype: 'stdout' });
    stdout.end();
    const out = readAll(stdout);
    const stderr = await session.openStream({ streamtype: 'stderr' });
    stderr.end();
    const err = readAll(stderr);
    stdin.end('abc\n');
    expect(await out).toBe('abc\n');
    expect(await err).toBe('err\n');
    expect(JSON.parse(await status)).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '4' }] } });
  });

  it('exec over SPDY answers the agent\'s refusal as the HTTP error, before upgrading', async () => {
    const { core } = rig.cluster;
    // Bound to the node in the API, unknown to the agent.
    await core.client.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ghost', namespace: 'default' }, spec: { nodeName: NODE, containers: [{ name: 'c', image: HELLO }] } }, { namespace: 'default' });
    const res = await new Promise<{ code: number; body: string }>((resolve, reject) => {
      const req = https.request({
        host: '127.0.0.1', port: core.api.port, method: 'POST', ca: core.caCertPem,
        path: '/api/v1/namespaces/default/pods/ghost/exec?command=true&stdout=true',
        headers: { Authorization: `Bearer ${core.auth.adminToken}`, Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' },
      });
      req.on('response', (r) => { let body = ''; r.on('data', (d: Buffer) => (body += d.toString())); r.on('end', () => resolve({ code: r.statusCode ?? 0, body })); });
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(res.code).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pod "ghost" not found' });
  });

  it('kubectl port-forward carries 4 MiB both ways and passes the half-close on (echo server)', async () => {
    await waitFor('echo pod Running in the API', async () => (await rig.cluster.core.client.get<Pod & { metadata: { name: string } }>(PODS, 'echo', 'default')).status?.phase === 'Running');
    const child = rig.spawnKubectl(['port-forward', 'pod/echo', ':9000']);
    const out = await waitForOutput(child, /Forwarding from 127\.0\.0\.1:(\d+) -> 9000/);
    const port = Number(/127\.0\.0\.1:(\d+) -> 9000/.exec(out)?.[1]);
    const payload = randomBytes(4 << 20);
    const echoed = await new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = [];
      const s = connect(port, '127.0.0.1', () => s.end(payload));
      s.on('data', (d: Buffer) => parts.push(d));
      s.on('end', () => resolve(Buffer.concat(parts)));
      s.on('error', reject);
    });
    expect(echoed.length).toBe(payload.length);
    expect(echoed.equals(payload)).toBe(true);
    child.kill('SIGTERM');
    await exitOf(child);
  });

  it('port-forward over raw SPDY/3.1 (Upgrade: SPDY/3.1, portforward.k8s.io)', async () => {
    const { socket, head, protocol } = await spdyUpgrade('/api/v1/namespaces/default/pods/proto/portforward', 'portforward.k8s.io');
    expect(protocol).toBe('portforward.k8s.io');
    const session = new SpdySession(socket, 'client', head);
    for (const requestid of ['0', '1']) {
      const error = await session.openStream({ streamtype: 'error', port: '8080', requestid });
      error.end();
      const errText = readAll(error);
      const data = await session.openStream({ streamtype: 'data', port: '8080', requestid });
      const body = readAll(data);
      data.end(`GET /spdy${requestid} HTTP/1.0\r\n\r\n`);
      expect(await body).toMatch(/^HTTP\/1\.0 200 OK\r\n[\s\S]*Hello from proto \(/);
      expect(await errText).toBe('');
    }
    // A port nothing listens on: the reason comes on the error stream.
    const error = await session.openStream({ streamtype: 'error', port: '9', requestid: '2' });
    error.end();
    const errText = readAll(error);
    const data = await session.openStream({ streamtype: 'data', port: '9', requestid: '2' });
    data.resume();
    expect(await errText).toMatch(/^error forwarding port 9 to pod proto, uid [\w-]+: .*ECONNREFUSED/);
    session.close();
  });

  /** A port-forward WebSocket to pod `proto` or `echo` with `?ports=`: its messages as they come, and how it closed. */
  const channelSocket = (pod: string, ports: string, protocols: string[]) => {
    const { core } = rig.cluster;
    const ws = new WebSocket(`wss://127.0.0.1:${core.api.port}/api/v1/namespaces/default/pods/${pod}/portforward?ports=${ports}`, protocols, {
      headers: { Authorization: `Bearer ${core.auth.adminToken}` }, ca: core.caCertPem,
    });
    const messages: Buffer[] = [];
    ws.on('message', (raw: RawData) => messages.push(Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer)));
    const opened = new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    const closed = new Promise<number>((resolve) => ws.on('close', (code: number) => resolve(code)));
    return { ws, messages, opened, closed };
  };

  it('port-forward over WebSocket channels (v4.channel.k8s.io): each port\'s number first, its bytes, a failed port\'s error, closed when all have ended', async () => {
    const { ws, messages, opened, closed } = channelSocket('proto', '8080,9', ['v4.channel.k8s.io']);
    await opened;
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET /channels HTTP/1.0\r\n\r\n')]));
    expect(await closed).toBe(1000); // the pod closed 8080's connection; 9's was refused
    const on = (ch: number) => messages.filter((m) => m[0] === ch).map((m) => m.subarray(1));
    const le = (port: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(port); return b; };
    // The port, as two bytes little endian, opens each channel: data 2i, error 2i+1.
    for (const [i, port] of [8080, 9].entries()) {
      expect(on(2 * i)[0]).toEqual(le(port));
      expect(on(2 * i + 1)[0]).toEqual(le(port));
    }
    expect(Buffer.concat(on(0).slice(1)).toString()).toMatch(/^HTTP\/1\.0 200 OK\r\n[\s\S]*Hello from proto \(/);
    expect(on(1).length).toBe(1); // no error for 8080
    expect(on(2).length).toBe(1); // no bytes from 9
    expect(Buffer.concat(on(3).slice(1)).toString()).toMatch(/^error forwarding port 9 to pod proto, uid [\w-]+: .*ECONNREFUSED/);
  });

  it('port-forward over v4.base64.channel.k8s.io: text messages, the channel as a digit, base64 both ways (echo server)', async () => {
    const { ws, messages, opened, closed } = channelSocket('echo', '9000', ['v4.base64.channel.k8s.io']);
    await opened;
    expect(ws.protocol).toBe('v4.base64.channel.k8s.io');
    ws.send(`0${Buffer.from('over base64\n').toString('base64')}`);
    const echoed = await waitFor('the echo', () => {
      const data = messages.map((m) => m.toString()).filter((m) => m[0] === '0').map((m) => Buffer.from(m.slice(1), 'base64'));
      const text = Buffer.concat(data.slice(1)).toString();
      return text.includes('\n') ? { first: data[0], text } : undefined;
    });
    expect(echoed.first.readUInt16LE(0)).toBe(9000);
    expect(echoed.text).toBe('over base64\n');
    ws.close(); // the channels cannot be half-closed: the client ends the session
    expect(await closed).toBe(1005);
  });

  it('port-forward over WebSocket channels refuses bad ports and unknown subprotocols as the kubelet does', async () => {
    const refusal = async (ports: string, protocols: string[]) => {
      const { opened } = channelSocket('proto', ports, protocols);
      const err = await opened.then(() => undefined, (e: Error) => e.message);
      return err;
    };
    expect(await refusal('', ['v4.channel.k8s.io'])).toContain('400');
    expect(await refusal('http', ['v4.channel.k8s.io'])).toContain('400');
    expect(await refusal('8080', ['v9.example'])).toContain('400');
    const { core } = rig.cluster;
    const body = (q: string, protocol: string) => new Promise<string>((resolve, reject) => {
      const req = https.request({
        host: '127.0.0.1', port: core.api.port, path: `/api/v1/namespaces/default/pods/proto/portforward${q}`, ca: core.caCertPem,
        headers: { Authorization: `Bearer ${core.auth.adminToken}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), 'Sec-WebSocket-Protocol': protocol },
      });
      req.on('response', (res) => { let t = ''; res.on('data', (d: Buffer) => (t += d.toString())); res.on('end', () => resolve(t)); });
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    const message = async (q: string, protocol: string) => (JSON.parse(await body(q, protocol)) as { message?: string }).message;
    expect(JSON.parse(await body('', 'v4.channel.k8s.io'))).toMatchObject({ code: 400, message: 'query parameter "port" is required' });
    expect(await message('?ports=80,x', 'v4.channel.k8s.io')).toBe('unable to parse "80,x" as a port: strconv.ParseUint: parsing "x": invalid syntax');
    expect(await message('?ports=0', 'v4.channel.k8s.io')).toBe('port "0" must be > 0');
    expect(await message('?ports=70000', 'v4.channel.k8s.io')).toContain('value out of range');
    expect(await message('?ports=80', 'v9.example')).toBe('requested protocol(s) are not supported: [v9.example]; supports [SPDY/3.1+portforward.k8s.io v4.channel.k8s.io v4.base64.channel.k8s.io]');
  });

  it('python3-kubernetes\' portforward (a second real client, on WebSocket channels): the answer of one port, the error of another', async () => {
    const script = path.join(__dirname, '..', '..', 'fixtures', 'python', 'port_forward.py');
    const out = await new Promise<string>((resolve, reject) => {
      execFile('/usr/bin/python3', [script, rig.cluster.core.kubeconfigPath, 'proto', '8080', '9'], { timeout: 60_000, env: { PATH: '/usr/bin:/bin', HOME: rig.cluster.dir } }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
    const report = JSON.parse(out) as { answer: string; error: string | null };
    expect(report.answer).toMatch(/^HTTP\/1\.0 200 OK\r\n[\s\S]*Hello from proto \(/);
    expect(report.error).toMatch(/^error forwarding port 9 to pod proto, uid [\w-]+: .*ECONNREFUSED/);
  });
});
