// A command in a pod's container with a TTY, as kubectl exec -it does it: GET pods/exec upgraded to a WebSocket
// speaking v5.channel.k8s.io (or v4) on the API server, so it works against any Kubernetes API server.
// Channel 0 stdin, 1 stdout, 3 the closing Status, 4 resize ({"Width","Height"}).
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import type { BridgeError } from './contract';
import type { ApiEndpoint } from './api-http';
import { readText, statusError } from './api-http';
import { CHANNEL, CHANNEL_PROTOCOLS, channelMessage } from '../protocol/exec-channels';
import { rawBuffer } from '../protocol/ws-data';
import { BridgeFailure } from './errors';
import type { TerminalSink, TerminalStream } from './terminal';
import { authHeaders, tlsOptions } from '../client/credentials';

export interface PodExecRequest {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
}

/** The exec URL kubectl would request (stdin, stdout and tty; stderr is folded into stdout by the TTY). */
export function execPath(req: PodExecRequest): string {
  const q = new URLSearchParams();
  for (const c of req.command) q.append('command', c);
  if (req.container) q.set('container', req.container);
  q.set('stdin', 'true');
  q.set('stdout', 'true');
  q.set('tty', 'true');
  const seg = encodeURIComponent;
  return `/api/v1/namespaces/${seg(req.namespace)}/pods/${seg(req.pod)}/exec?${q.toString()}`;
}

interface ExecStatus {
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: Array<{ reason?: string; message?: string }> };
}

/** How the command ended, from the Status on channel 3 (none: success). */
export function execOutcome(text: string | undefined): { exitCode?: number; error?: BridgeError } {
  if (!text) return { exitCode: 0 };
  let s: ExecStatus;
  try {
    s = JSON.parse(text) as ExecStatus;
  } catch {
    return { error: { code: 500, reason: 'InternalError', message: text.trim() } };
  }
  if (s.status === 'Success') return { exitCode: 0 };
  const exit = s.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
  if (s.reason === 'NonZeroExitCode' && exit !== undefined && /^\d+$/.test(exit)) return { exitCode: Number(exit) };
  return { error: { code: s.code ?? 500, reason: s.reason ?? 'InternalError', message: s.message ?? text.trim() } };
}

/** Opens the exec; resolves once the server accepted the upgrade, rejects with the server's Status otherwise. */
export function openPodExec(api: ApiEndpoint, req: PodExecRequest, size: { cols: number; rows: number }, sink: TerminalSink): Promise<TerminalStream> {
  const url = `${api.url.replace(/^http/, 'ws')}${execPath(req)}`;
  const ws = new WebSocket(url, CHANNEL_PROTOCOLS, {
    ...tlsOptions(api), headers: { ...authHeaders(api), 'User-Agent': 'flotilla-ui-bridge' }, perMessageDeflate: false,
  });
  let status: string | undefined;
  let ended = false;
  const end = (outcome: { exitCode?: number; error?: BridgeError }): void => {
    if (ended) return;
    ended = true;
    sink.end(outcome);
  };
  const send = (ch: number, data: Buffer): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(channelMessage(ch, data));
  };
  const resize = (cols: number, rows: number): void => send(CHANNEL.resize, Buffer.from(JSON.stringify({ Width: cols, Height: rows })));
  return new Promise((resolve, reject) => {
    let opened = false;
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      const fail = (text: string): void => {
        const e = statusError(res.statusCode ?? 500, text);
        reject(new BridgeFailure(e.code, e.reason, e.message));
        ws.terminate();
      };
      void readText(res).then(fail, () => fail(''));
    });
    ws.on('open', () => {
      opened = true;
      resize(size.cols, size.rows);
      resolve({
        write: (data) => send(CHANNEL.stdin, data),
        resize,
        pause: () => ws.pause(),
        resume: () => ws.resume(),
        close: () => {
          ended = true;
          ws.close(1000);
        },
      });
    });
    ws.on('message', (raw) => {
      const data = rawBuffer(raw);
      if (data.length === 0) return;
      const ch = data[0];
      if (ch === CHANNEL.stdout || ch === CHANNEL.stderr) sink.data(data.subarray(1));
      else if (ch === CHANNEL.error) status = (status ?? '') + data.subarray(1).toString('utf8');
    });
    ws.on('close', () => {
      if (opened) end(execOutcome(status));
    });
    ws.on('error', (e: Error) => {
      if (!opened) reject(new BridgeFailure(503, 'ServiceUnavailable', `cannot reach the API server for exec: ${e.message}`));
      else end({ error: { code: 503, reason: 'ServiceUnavailable', message: `the connection to the container was lost: ${e.message}` } });
    });
  });
}
