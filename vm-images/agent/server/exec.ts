// GET /exec/<ns>/<pod>/<container>?command=…&stdin&stdout&stderr&tty (and /attach/… without a command)
// upgraded to a WebSocket speaking v5.channel.k8s.io (or v4): CRI Exec (or Attach), then containerd's
// streaming server over SPDY, channels translated: 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize; v5's
// close signal [255, 0] half-closes stdin.
import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { rawBuffer } from '../../../main/protocol/ws-data';
import type { CriClient } from '../cri/client';
import { connectExecStreams, type ExecStreams } from './cri-exec-stream';
import { CHANNEL, CHANNEL_PROTOCOLS, channelMessage, type ExecChannels } from '../../../main/protocol/exec-channels';
import { AgentHttpError, badRequest, notFound, rejectUpgrade } from './http-status';
import { containerStatusOf, runtimeId, type PodLookup } from './pod-lookup';
import { attachExitedStatus, exitedBefore } from './attach-exited';

function flag(q: URLSearchParams, k: string): boolean {
  const v = q.get(k);
  return v === 'true' || v === '1';
}

export function execChannels(q: URLSearchParams): ExecChannels {
  const tty = flag(q, 'tty');
  return { stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr') && !tty, tty };
}

export const execWebSocketServer = (): WebSocketServer => new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  handleProtocols: (offered) => CHANNEL_PROTOCOLS.find((p) => offered.has(p)) ?? false,
});

function ended(s: Readable | undefined): Promise<void> {
  if (!s) return Promise.resolve();
  if (s.readableEnded || s.destroyed) return Promise.resolve();
  return new Promise((resolve) => { s.once('end', () => resolve()); s.once('close', () => resolve()); });
}

function collect(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  s.on('data', (d: Buffer) => parts.push(d));
  return ended(s).then(() => Buffer.concat(parts));
}

/** The runtime's status stream said nothing, or Success (what the streaming server writes when a stream ends well). */
function succeeded(status: Buffer): boolean {
  if (!status.length) return true;
  try {
    return (JSON.parse(status.toString()) as { status?: string }).status === 'Success';
  } catch {
    return false;
  }
}

/**
 * Wires the WebSocket to the runtime's streams until the command ends or either side goes away. `quietEnd`: asked for
 * a status when the runtime's said nothing or Success and no byte of output came.
 */
export function relayExec(ws: WebSocket, s: ExecStreams, quietEnd?: () => Promise<Buffer | undefined>): void {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const status = collect(s.error);
  let relayed = 0;
  const send = (ch: number) => (d: Buffer): void => {
    relayed += d.length;
    if (ws.readyState === ws.OPEN) ws.send(channelMessage(ch, d));
  };
  s.stdout?.on('data', send(CHANNEL.stdout));
  s.stderr?.on('data', send(CHANNEL.stderr));
  s.stdin?.on('error', () => undefined);
  s.resize?.on('error', () => undefined);
  ws.on('message', (raw: RawData) => {
    const data = rawBuffer(raw);
    if (data.length === 0) return;
    const ch = data[0];
    const payload = data.subarray(1);
    if (ch === CHANNEL.stdin && s.stdin && !s.stdin.writableEnded && payload.length) s.stdin.write(payload);
    else if (ch === CHANNEL.resize && s.resize && !s.resize.writableEnded) s.resize.write(payload);
    else if (v5 && ch === CHANNEL.close && payload[0] === CHANNEL.stdin && s.stdin && !s.stdin.writableEnded) s.stdin.end();
  });
  ws.on('close', () => s.session.close());
  ws.on('error', () => s.session.close());
  void (async () => {
    let [st] = await Promise.all([status, ended(s.stdout), ended(s.stderr)]);
    if (!relayed && quietEnd && succeeded(st) && ws.readyState === ws.OPEN) st = (await quietEnd()) ?? st;
    if (ws.readyState === ws.OPEN) {
      if (st.length) ws.send(channelMessage(CHANNEL.error, st));
      ws.close(1000);
    }
    s.session.close();
  })();
}

/** Exec runs a command beside the container's; attach joins the container's own stdio. */
export type StreamKind = 'exec' | 'attach';

export async function serveExec(
  deps: { cri: CriClient; lookup: PodLookup; wss: WebSocketServer },
  req: IncomingMessage, socket: Duplex, head: Buffer, ns: string, podName: string, container: string, q: URLSearchParams, kind: StreamKind = 'exec',
): Promise<void> {
  let streams: ExecStreams | undefined;
  let quietEnd: (() => Promise<Buffer | undefined>) | undefined;
  try {
    const command = q.getAll('command');
    if (kind === 'exec' && !command.length) throw badRequest('you must specify at least one command for the container');
    const ch = execChannels(q);
    if (!ch.stdin && !ch.stdout && !ch.stderr) throw badRequest('you must specify at least one of stdin, stdout, stderr');
    const pod = deps.lookup.find(ns, podName);
    if (!pod) throw notFound(`pod "${podName}" not found`);
    const cs = containerStatusOf(pod, container);
    const id = runtimeId(cs?.containerID);
    // The kubelet's words and answer (its streaming error: 500, plain text) for a container that is not running.
    if (!cs || !id || !cs.state?.running) throw new AgentHttpError(500, 'InternalError', `container not found ("${container}")`, true);
    const url = kind === 'exec' ? await deps.cri.exec(id, command, ch) : await deps.cri.attach(id, ch);
    streams = await connectExecStreams(url, ch);
    if (kind === 'attach') {
      // From when the runtime has joined its output streams: what an exit before that printed, no attach can show.
      const since = Date.now();
      quietEnd = async () => ((await exitedBefore(deps.cri, id, since)) ? attachExitedStatus() : undefined);
    }
  } catch (e) {
    rejectUpgrade(socket, e);
    return;
  }
  const s = streams;
  let accepted = false;
  // A handshake ws refuses (or a client gone meanwhile) must not leave the runtime's session open.
  socket.once('close', () => { if (!accepted) s.session.close(); });
  deps.wss.handleUpgrade(req, socket, head, (ws) => { accepted = true; relayExec(ws, s, quietEnd); });
}
