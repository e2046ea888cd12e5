// One shell session over the bridge for a terminal: start (again, for Reconnect), keystrokes in, output out to a
// writer that calls back when it has drawn the bytes (acknowledged to the server, which holds output back past a
// window), resize, and the end: exit code, the server's message, or a lost connection. Stopped with its scope.
import { onScopeDispose, ref } from 'vue';
import type { Ref } from 'vue';
import type { BridgeEvents, ShellEnd, ShellTarget } from '../../../main/bridge/contract';
import { call, errorMessage, onEvent, onStatus } from '../bridge/client';
import { base64ToBytes, bytesToBase64, shellEndText } from '../lib/shell-text';

export type ShellStatus = 'idle' | 'starting' | 'open' | 'ended' | 'failed';

export interface ShellOutput {
  /** Draws the bytes and calls `done` once they are drawn. */
  write(data: Uint8Array, done: () => void): void;
}

export interface ShellState {
  status: Ref<ShellStatus>;
  /** Why it ended or could not start, in words. */
  message: Ref<string | undefined>;
  /** The program started (/bin/bash, /bin/sh, or ssh for a node). */
  command: Ref<string | undefined>;
  start(size: { cols: number; rows: number }): Promise<void>;
  input(data: string | Uint8Array): void;
  resize(cols: number, rows: number): void;
  stop(): void;
}

const encoder = new TextEncoder();

export function useShell(target: () => ShellTarget, out: ShellOutput): ShellState {
  const status = ref<ShellStatus>('idle');
  const message = ref<string | undefined>();
  const command = ref<string | undefined>();
  let sessionId: string | undefined;
  let gen = 0;
  /** Events of a session whose start call has not answered yet. */
  const early = new Map<string, Array<BridgeEvents['shell']>>();

  const ended = (end: ShellEnd) => {
    sessionId = undefined;
    status.value = end.error ? 'failed' : 'ended';
    message.value = shellEndText(end);
  };

  const handle = (p: BridgeEvents['shell']) => {
    const id = p.sessionId;
    if (p.dataBase64) {
      const bytes = base64ToBytes(p.dataBase64);
      out.write(bytes, () => void call('shellAck', { sessionId: id, bytes: bytes.length }).catch(() => undefined));
    }
    if (p.end) ended(p.end);
  };

  const offShell = onEvent('shell', (p) => {
    if (p.sessionId === sessionId) handle(p);
    else if (status.value === 'starting') early.set(p.sessionId, [...(early.get(p.sessionId) ?? []), p]);
  });

  const offStatus = onStatus((s) => {
    if (s !== 'open' && sessionId) {
      // The server ended our session with the connection.
      sessionId = undefined;
      status.value = 'failed';
      message.value = 'The connection to Flotilla was lost. Reconnect to start a new shell.';
    }
  });

  const stop = () => {
    gen++;
    if (sessionId) void call('shellStop', { sessionId }).catch(() => undefined);
    sessionId = undefined;
  };

  const start = async (size: { cols: number; rows: number }) => {
    stop();
    const g = gen;
    status.value = 'starting';
    message.value = undefined;
    command.value = undefined;
    early.clear();
    try {
      const r = await call('shellStart', { target: target(), cols: size.cols, rows: size.rows });
      if (g !== gen) {
        void call('shellStop', { sessionId: r.sessionId }).catch(() => undefined);
        return;
      }
      sessionId = r.sessionId;
      command.value = r.command;
      status.value = 'open';
      const pending = early.get(r.sessionId) ?? [];
      early.clear();
      for (const p of pending) handle(p);
    } catch (e) {
      if (g !== gen) return;
      status.value = 'failed';
      message.value = errorMessage(e);
    }
  };

  const input = (data: string | Uint8Array) => {
    if (!sessionId) return;
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    void call('shellInput', { sessionId, dataBase64: bytesToBase64(bytes) }).catch(() => undefined);
  };

  const resize = (cols: number, rows: number) => {
    if (sessionId) void call('shellResize', { sessionId, cols, rows }).catch(() => undefined);
  };

  onScopeDispose(() => {
    stop();
    offShell();
    offStatus();
  });

  return { status, message, command, start, input, resize, stop };
}
