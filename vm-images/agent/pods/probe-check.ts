// One probe attempt: httpGet against the pod IP, tcpSocket connect, exec through CRI ExecSync, or a gRPC health check
// (probe-grpc.ts).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Container, Probe } from 'kubernetes-types/core/v1';
import { CriError, type CriClient } from '../cri/client';
import { rpcErrorText } from '../cri/rpc-error';
import { grpcCheck } from './probe-grpc';

export interface ProbeTarget { podIP: string; containerId: string; container: Container; cri: CriClient }
/**
 * An attempt's outcome. `errored`: the probe could not be run (the runtime refused the exec): the kubelet's prober
 * reports it ("… probe errored: …") and throws the result away, so it counts neither way.
 */
export interface ProbeOutcome { ok: boolean; message: string; errored?: boolean }

/** The User-Agent of the kubelet's probes (kube-probe/<major>.<minor>). */
export const PROBE_USER_AGENT = 'kube-probe/1.30';

function resolvePort(port: number | string, container: Container): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port);
  if (named) return named.containerPort;
  const n = Number(port);
  if (Number.isInteger(n)) return n;
  throw new Error(`port ${port} not found`);
}

/**
 * One attempt's outcome, settled once, against its deadline (the kubelet's probe timeout, from the start of the attempt).
 * The deadline is decided only after the I/O already waiting when its timer fired has been handled: timers run before
 * the event loop's poll phase and setImmediate after it, so an agent whose event loop was held up past the deadline
 * (a busy machine, a long synchronous step) still sees the answer that came in time rather than failing the probe.
 */
function attempt(timeoutMs: number, resolve: (o: ProbeOutcome) => void, expired: () => ProbeOutcome): (o: ProbeOutcome) => void {
  let done = false;
  let late: NodeJS.Immediate | undefined;
  const timer = setTimeout(() => { late = setImmediate(() => settle(expired())); }, timeoutMs);
  const settle = (o: ProbeOutcome): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    if (late) clearImmediate(late);
    resolve(o);
  };
  return settle;
}

/** One HTTP GET as a probe (or, with its own User-Agent, a lifecycle hook) makes it: 2xx and 3xx succeed. */
export function httpCheck(probe: NonNullable<Probe['httpGet']>, target: ProbeTarget, timeoutMs: number, userAgent = PROBE_USER_AGENT): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let port: number;
    try { port = resolvePort(probe.port, target.container); } catch (err) { resolve({ ok: false, message: String(err) }); return; }
    const https = probe.scheme === 'HTTPS';
    const headers: Record<string, string> = { 'User-Agent': userAgent, Accept: '*/*' };
    for (const h of probe.httpHeaders ?? []) headers[h.name] = h.value;
    const url = `http://${target.podIP}:${port}${probe.path ?? '/'}`;
    const settle = attempt(timeoutMs, resolve, () => {
      req.destroy();
      return { ok: false, message: `Get "${url}": context deadline exceeded` };
    });
    const req = (https ? httpsRequest : httpRequest)({
      host: probe.host || target.podIP, port, path: probe.path ?? '/', method: 'GET', headers, rejectUnauthorized: false,
    }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      settle(code >= 200 && code < 400 ? { ok: true, message: '' } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('error', (err) => settle({ ok: false, message: `Get "${url}": ${err.message}` }));
    req.end();
  });
}

function tcpCheck(probe: NonNullable<Probe['tcpSocket']>, target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let port: number;
    try { port = resolvePort(probe.port, target.container); } catch (err) { resolve({ ok: false, message: String(err) }); return; }
    const host = probe.host || target.podIP;
    const settle = attempt(timeoutMs, resolve, () => {
      sock.destroy();
      return { ok: false, message: `dial tcp ${host}:${port}: i/o timeout` };
    });
    const sock = connect({ host, port });
    sock.once('connect', () => { sock.destroy(); settle({ ok: true, message: '' }); });
    sock.once('error', (err) => settle({ ok: false, message: `dial tcp ${host}:${port}: ${err.message}` }));
  });
}

/** The kubelet's exec prober keeps this much of a probe's output (its maxReadLength). */
const EXEC_OUTPUT_LIMIT = 10 * 1024;

async function execCheck(probe: NonNullable<Probe['exec']>, target: ProbeTarget, timeoutSeconds: number): Promise<ProbeOutcome> {
  try {
    const res = await target.cri.execSync(target.containerId, probe.command ?? [], timeoutSeconds);
    if (res.exit_code === 0) return { ok: true, message: '' };
    // As the kubelet's exec prober: a failure's message is the command's output, stdout then stderr (RunInContainer
    // appends them), at most 10 KiB: "Liveness probe failed: cat: can't open '/tmp/ok': No such file or directory".
    const output = Buffer.concat([Buffer.from(res.stdout), Buffer.from(res.stderr)]).subarray(0, EXEC_OUTPUT_LIMIT);
    return { ok: false, message: output.toString() };
  } catch (err) {
    // The kubelet's CRI client turns a DeadlineExceeded ExecSync into a timed-out probe, a failure; any other error is
    // the probe erroring.
    if (err instanceof CriError && err.deadlineExceeded) return { ok: false, message: `command ${JSON.stringify((probe.command ?? []).join(' '))} timed out` };
    const message = err instanceof CriError ? rpcErrorText(err.code, err.details) : err instanceof Error ? err.message : String(err);
    return { ok: false, errored: true, message };
  }
}

export function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutSeconds = probe.timeoutSeconds ?? 1;
  if (probe.httpGet) return httpCheck(probe.httpGet, target, timeoutSeconds * 1000);
  if (probe.tcpSocket) return tcpCheck(probe.tcpSocket, target, timeoutSeconds * 1000);
  if (probe.exec) return execCheck(probe.exec, target, timeoutSeconds);
  if (probe.grpc) return grpcCheck(probe.grpc, target.podIP, timeoutSeconds * 1000, PROBE_USER_AGENT);
  return Promise.resolve({ ok: true, message: '' });
}
