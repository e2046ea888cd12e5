// A gRPC probe attempt as the kubelet's prober makes it (pkg/probe/grpc): grpc.health.v1.Health/Check with the probe's
// service name on the pod's IP and port, no TLS, the connection and the call together within the probe's timeout.
// grpc-js's waitForReady is grpc-go's blocking dial: a refused or dropped connection is tried again (1 s, then ×1.6)
// until the deadline, so a port with nothing listening, or one that speaks no HTTP/2, fails as a connect timeout. Each
// attempt has a connection of its own, as the kubelet dials one per probe. The failure messages are the kubelet's.
import * as grpc from '@grpc/grpc-js';
import type { Probe } from 'kubernetes-types/core/v1';
import { formatGoDurationMs } from '../../../main/api/go-duration';
import { CriError, unaryCall } from '../cri/client';
import { protoServices } from '../cri/load';
import { rpcErrorText } from '../cri/rpc-error';
import type { ProbeOutcome } from './probe-check';

/** The health protocol's unary method (grpc/health/v1/health.proto; probes do not use its streaming Watch). */
const HEALTH_PROTO = `syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
  ServingStatus status = 1;
}
service Health { rpc Check(HealthCheckRequest) returns (HealthCheckResponse); }
`;

let Health: grpc.ServiceClientConstructor | undefined;

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function ready(client: grpc.Client, deadline: number): Promise<boolean> {
  return new Promise((resolve) => client.waitForReady(deadline, (err) => resolve(!err)));
}

export async function grpcCheck(probe: NonNullable<Probe['grpc']>, podIP: string, timeoutMs: number, userAgent: string): Promise<ProbeOutcome> {
  Health ??= protoServices(HEALTH_PROTO, ['grpc.health.v1.Health'])[0];
  const addr = hostPort(podIP, probe.port);
  const timeout = formatGoDurationMs(timeoutMs);
  const deadline = Date.now() + timeoutMs;
  const client = new Health(addr, grpc.credentials.createInsecure(), {
    'grpc.primary_user_agent': userAgent,
    'grpc.use_local_subchannel_pool': 1,
    'grpc.enable_retries': 0,
  });
  try {
    if (!await ready(client, deadline)) {
      return { ok: false, message: `timeout: failed to connect service ${JSON.stringify(addr)} within ${timeout}: context deadline exceeded` };
    }
    const answer = await unaryCall<{ status: string }>(client, 'Check', 'grpc.health.v1.Health/Check', { service: probe.service ?? '' },
      new grpc.Metadata(), Math.max(1, deadline - Date.now()));
    if (answer.status !== 'SERVING') return { ok: false, message: `service unhealthy (responded with ${JSON.stringify(answer.status)})` };
    return { ok: true, message: '' };
  } catch (err) {
    if (!(err instanceof CriError)) return { ok: false, message: `error: health rpc probe failed: ${err instanceof Error ? err.message : String(err)}` };
    if (err.code === grpc.status.UNIMPLEMENTED) {
      return { ok: false, message: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${err.details}` };
    }
    if (err.code === grpc.status.DEADLINE_EXCEEDED) return { ok: false, message: `timeout: health rpc did not complete within ${timeout}` };
    return { ok: false, message: `error: health rpc probe failed: ${rpcErrorText(err.code, err.details)}` };
  } finally {
    client.close();
  }
}
