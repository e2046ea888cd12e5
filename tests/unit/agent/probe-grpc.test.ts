// The gRPC probe against grpc-js health servers on loopback ports: each of the kubelet's outcomes with its message.
import { createServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { parse } from 'protobufjs';
import { afterEach, describe, expect, it } from 'vitest';
import { grpcCheck } from '../../../vm-images/agent/pods/probe-grpc';
import { PROBE_USER_AGENT } from '../../../vm-images/agent/pods/probe-check';
import { freePort } from '../../helpers/free-port';
import { waitFor } from '../../helpers/wait';

const { root } = parse(`syntax = "proto3"; package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse { enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; } ServingStatus status = 1; }`);
const Req = root.lookupType('grpc.health.v1.HealthCheckRequest');
const Res = root.lookupType('grpc.health.v1.HealthCheckResponse');

type Check = (service: string, call: grpc.ServerUnaryCall<{ service: string }, object>, cb: grpc.sendUnaryData<object>) => void;

const servers: grpc.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.tryShutdown(() => r()))));
});

async function healthServer(port: number, check: Check | undefined): Promise<grpc.Server> {
  const server = new grpc.Server();
  if (check) {
    server.addService({
      Check: {
        path: '/grpc.health.v1.Health/Check', requestStream: false, responseStream: false,
        requestDeserialize: (b: Buffer) => Req.toObject(Req.decode(b)) as { service: string },
        requestSerialize: (v: object) => Buffer.from(Req.encode(Req.fromObject(v)).finish()),
        responseSerialize: (v: object) => Buffer.from(Res.encode(Res.fromObject(v)).finish()),
        responseDeserialize: (b: Buffer) => Res.toObject(Res.decode(b)),
      },
    }, { Check: (call: grpc.ServerUnaryCall<{ service: string }, object>, cb: grpc.sendUnaryData<object>) => check(call.request.service ?? '', call, cb) });
  } else {
    // A gRPC server of something else: no health service.
    server.addService({ Get: { path: '/other.Thing/Get', requestStream: false, responseStream: false, requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b } }, { Get: () => undefined });
  }
  await new Promise<void>((resolve, reject) => server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())));
  servers.push(server);
  return server;
}

const byService: Check = (service, _call, cb) => {
  if (service === '' || service === 'web') cb(null, { status: 'SERVING' });
  else if (service === 'sick') cb(null, { status: 'NOT_SERVING' });
  else cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
};

describe('gRPC probe', () => {
  it("succeeds on SERVING, for the server and for a named service, and says it is the kubelet's probe", async () => {
    const port = await freePort();
    const agents: string[] = [];
    await healthServer(port, (service, call, cb) => { agents.push(String(call.metadata.get('user-agent')[0])); byService(service, call, cb); });
    expect(await grpcCheck({ port }, '127.0.0.1', 1000, PROBE_USER_AGENT)).toEqual({ ok: true, message: '' });
    expect(await grpcCheck({ port, service: 'web' }, '127.0.0.1', 1000, PROBE_USER_AGENT)).toEqual({ ok: true, message: '' });
    expect(agents[0]).toMatch(/^kube-probe\/1\.\d+/);
  });

  it('fails on NOT_SERVING and on an unknown service with the health server\'s own answer', async () => {
    const port = await freePort();
    await healthServer(port, byService);
    expect(await grpcCheck({ port, service: 'sick' }, '127.0.0.1', 1000, PROBE_USER_AGENT)).toEqual({ ok: false, message: 'service unhealthy (responded with "NOT_SERVING")' });
    expect(await grpcCheck({ port, service: 'db' }, '127.0.0.1', 1000, PROBE_USER_AGENT))
      .toEqual({ ok: false, message: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service' });
  });

  it('fails on a gRPC server without the health protocol', async () => {
    const port = await freePort();
    await healthServer(port, undefined);
    const out = await grpcCheck({ port }, '127.0.0.1', 1000, PROBE_USER_AGENT);
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\): .+/);
  });

  it('fails a port nothing listens on as a connect timeout, after the probe\'s timeout', async () => {
    const port = await freePort();
    const started = Date.now();
    const out = await grpcCheck({ port }, '127.0.0.1', 1000, PROBE_USER_AGENT);
    expect(out).toEqual({ ok: false, message: `timeout: failed to connect service "127.0.0.1:${port}" within 1s: context deadline exceeded` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('fails a health check that does not answer in time', async () => {
    const port = await freePort();
    await healthServer(port, () => undefined);
    expect(await grpcCheck({ port }, '127.0.0.1', 1000, PROBE_USER_AGENT)).toEqual({ ok: false, message: 'timeout: health rpc did not complete within 1s' });
  });

  it('connects to a server that starts listening within the timeout, as the blocking dial retries', async () => {
    const port = await freePort();
    // First a listener that drops each connection: the probe's first dial fails; then the health server comes up.
    let dropped = 0;
    const dropper = createServer((sock) => { dropped++; sock.destroy(); });
    await new Promise<void>((r) => dropper.listen(port, '127.0.0.1', () => r()));
    const probing = grpcCheck({ port }, '127.0.0.1', 5000, PROBE_USER_AGENT);
    await waitFor(() => dropped > 0, 'the probe\'s first connection', 4000, 10);
    await new Promise<void>((r) => dropper.close(() => r()));
    await healthServer(port, byService);
    expect(await probing).toEqual({ ok: true, message: '' });
    expect(dropped).toBe(1);
  });
});
