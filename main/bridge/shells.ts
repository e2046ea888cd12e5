// The shell sessions of one bridge session: started in a pod's container or on a node, output pushed as base64 'shell'
// events in batches, with flow control (past HIGH_WATER bytes the terminal has not acknowledged, reading stops until it
// catches up to LOW_WATER), input and resizes passed on, everything closed with the bridge session.
import type { BridgeCalls, BridgeEvents, ShellStartRequest, ShellTarget } from './contract';
import type { ApiEndpoint } from './api-http';
import type { SshSession } from '../nodes/ssh';
import { BadRequest } from './kinds';
import { BridgeFailure } from './errors';
import { openPodShell } from './pod-shell';
import { openNodeShell } from './node-shell';
import type { TerminalSink, TerminalStream } from './terminal';

export const FLUSH_MS = 16;
export const FLUSH_BYTES = 64 * 1024;
export const HIGH_WATER = 512 * 1024;
export const LOW_WATER = 128 * 1024;
const MAX_SIZE = 2000;

type EmitShell = (name: 'shell', payload: BridgeEvents['shell']) => void;

export interface ShellDeps {
  api: ApiEndpoint;
  /** The node's SSH session; absent where Flotilla holds no SSH connections (another cluster). */
  nodeSsh?: (node: string) => Promise<SshSession>;
}

interface Live {
  stream?: TerminalStream;
  /** Input typed before the shell started. */
  early: Buffer[];
  out: Buffer[];
  outBytes: number;
  timer?: NodeJS.Timeout;
  unacked: number;
  paused: boolean;
  ended: boolean;
  /** stop() came while it was starting. */
  stopped: boolean;
}

function dimension(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_SIZE) throw new BadRequest(`${field} must be a whole number from 1 to ${MAX_SIZE}`);
  return v;
}

function nonEmpty(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') throw new BadRequest(`${field} must be a non-empty string`);
  return v;
}

export function checkTarget(t: unknown): ShellTarget {
  const o = (t ?? {}) as Record<string, unknown>;
  if (o.type === 'pod') {
    const container = o.container === undefined || o.container === '' ? undefined : nonEmpty(o.container, 'target.container');
    return { type: 'pod', namespace: nonEmpty(o.namespace, 'target.namespace'), pod: nonEmpty(o.pod, 'target.pod'), container };
  }
  if (o.type === 'node') return { type: 'node', node: nonEmpty(o.node, 'target.node') };
  throw new BadRequest('target.type must be "pod" or "node"');
}

export interface ShellSessions {
  start(req: ShellStartRequest): Promise<BridgeCalls['shellStart']['res']>;
  input(sessionId: string, dataBase64: string): void;
  resize(sessionId: string, cols: number, rows: number): void;
  ack(sessionId: string, bytes: number): void;
  stop(sessionId: string): void;
  dispose(): void;
}

export function createShellSessions(deps: ShellDeps, emit: EmitShell): ShellSessions {
  const live = new Map<string, Live>();
  let seq = 0;

  const flush = (id: string, s: Live): void => {
    clearTimeout(s.timer);
    s.timer = undefined;
    if (s.outBytes === 0) return;
    const data = Buffer.concat(s.out);
    s.out = [];
    s.outBytes = 0;
    s.unacked += data.length;
    if (!s.paused && s.unacked > HIGH_WATER && s.stream) {
      s.paused = true;
      s.stream.pause();
    }
    emit('shell', { sessionId: id, dataBase64: data.toString('base64') });
  };

  const sinkFor = (id: string, s: Live): TerminalSink => ({
    data: (chunk) => {
      if (s.ended) return;
      s.out.push(chunk);
      s.outBytes += chunk.length;
      if (s.outBytes >= FLUSH_BYTES) flush(id, s);
      else s.timer ??= setTimeout(() => flush(id, s), FLUSH_MS);
    },
    end: (end) => {
      if (s.ended) return;
      flush(id, s);
      s.ended = true;
      live.delete(id);
      emit('shell', { sessionId: id, dataBase64: '', end });
    },
  });

  const get = (id: unknown): Live => {
    const s = live.get(nonEmpty(id, 'sessionId'));
    if (!s) throw new BridgeFailure(404, 'NotFound', `no shell session "${String(id)}" (it has ended)`);
    return s;
  };

  const open = async (t: ShellTarget, size: { cols: number; rows: number }, sink: TerminalSink): Promise<{ stream: TerminalStream; command: string }> => {
    if (t.type === 'pod') return openPodShell(deps.api, t, size, sink);
    if (!deps.nodeSsh) throw new BridgeFailure(501, 'NotImplemented', `a shell on node ${t.node} needs Flotilla's SSH connection to it, and this cluster has none`);
    const ssh = await deps.nodeSsh(t.node);
    return { stream: await openNodeShell(ssh, size, sink), command: 'ssh' };
  };

  return {
    async start(req) {
      const target = checkTarget((req as { target?: unknown } | null)?.target);
      const size = { cols: dimension(req.cols, 'cols'), rows: dimension(req.rows, 'rows') };
      const id = `shell-${++seq}`;
      const s: Live = { early: [], out: [], outBytes: 0, unacked: 0, paused: false, ended: false, stopped: false };
      live.set(id, s);
      try {
        const { stream, command } = await open(target, size, sinkFor(id, s));
        if (s.stopped) {
          stream.close();
          throw new BridgeFailure(410, 'Gone', 'the shell session was stopped while it started');
        }
        s.stream = stream;
        for (const b of s.early.splice(0)) stream.write(b);
        return { sessionId: id, command };
      } catch (e) {
        live.delete(id);
        clearTimeout(s.timer);
        throw e;
      }
    },
    input(id, dataBase64) {
      const s = get(id);
      if (typeof dataBase64 !== 'string') throw new BadRequest('dataBase64 must be a string');
      const data = Buffer.from(dataBase64, 'base64');
      if (s.stream) s.stream.write(data);
      else s.early.push(data);
    },
    resize(id, cols, rows) {
      get(id).stream?.resize(dimension(cols, 'cols'), dimension(rows, 'rows'));
    },
    ack(id, bytes) {
      const s = live.get(nonEmpty(id, 'sessionId'));
      if (!s) return;
      if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) throw new BadRequest('bytes must be a number, 0 or more');
      s.unacked = Math.max(0, s.unacked - bytes);
      if (s.paused && s.unacked < LOW_WATER) {
        s.paused = false;
        s.stream?.resume();
      }
    },
    stop(id) {
      const s = live.get(nonEmpty(id, 'sessionId'));
      if (!s) return;
      live.delete(id);
      s.ended = true;
      s.stopped = true;
      clearTimeout(s.timer);
      s.stream?.close();
    },
    dispose() {
      for (const [id, s] of live) {
        s.ended = true;
        s.stopped = true;
        clearTimeout(s.timer);
        s.stream?.close();
        live.delete(id);
      }
    },
  };
}
