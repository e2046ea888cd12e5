// A pod's log as a live stream: follow, pause (lines keep arriving and are shown on resume),
// container switch and previous instance restart the stream; the server's message on failure.
// A stream lost with the connection starts again when the connection is back.
import { onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { Ref } from 'vue';
import type { LogRequest } from '../../../main/bridge/contract';
import { call, errorMessage, onEvent, onStatus } from '../bridge/client';

export const MAX_LINES = 5000;

export interface LogStreamState {
  lines: Ref<string[]>;
  status: Ref<'starting' | 'streaming' | 'ended' | 'failed'>;
  error: Ref<string | undefined>;
  paused: Ref<boolean>;
  /** Lines held back while paused. */
  held: Ref<number>;
  restart: () => void;
}

export function useLogStream(params: Ref<LogRequest | undefined>): LogStreamState {
  const lines = shallowRef<string[]>([]);
  const status = ref<LogStreamState['status']['value']>('starting');
  const error = ref<string | undefined>();
  const paused = ref(false);
  const held = ref(0);
  let buffer: string[] = [];
  let streamId: string | undefined;
  let gen = 0;

  /** A new array per batch: what is computed from the lines (search, follow) sees every change. */
  const push = (more: string[]) => {
    const all = lines.value.concat(more);
    lines.value = all.length > MAX_LINES ? all.slice(all.length - MAX_LINES) : all;
  };

  const offLog = onEvent('log', (p) => {
    if (p.streamId !== streamId) return;
    if (p.lines.length > 0) {
      if (paused.value) {
        buffer.push(...p.lines);
        held.value = buffer.length;
      } else push(p.lines);
    }
    if (p.end) {
      streamId = undefined;
      if (p.end.error) {
        status.value = 'failed';
        error.value = p.end.error.message;
      } else status.value = 'ended';
    }
  });

  const stop = () => {
    if (streamId) void call('stopLogs', { streamId }).catch(() => undefined);
    streamId = undefined;
  };

  const start = async () => {
    stop();
    const g = ++gen;
    lines.value = [];
    buffer = [];
    held.value = 0;
    error.value = undefined;
    const req = params.value;
    if (!req) return;
    status.value = 'starting';
    try {
      const r = await call('logs', { follow: true, tailLines: 500, ...req });
      if (g !== gen) {
        void call('stopLogs', { streamId: r.streamId }).catch(() => undefined);
        return;
      }
      streamId = r.streamId;
      if (status.value === 'starting') status.value = 'streaming';
    } catch (e) {
      if (g !== gen) return;
      status.value = 'failed';
      error.value = errorMessage(e);
    }
  };

  let lost = false;
  const offStatus = onStatus((s) => {
    if (s === 'open') {
      if (lost) void start();
      lost = false;
    } else if (streamId || status.value === 'starting' || status.value === 'streaming') {
      // The server forgot the stream with the connection.
      lost = true;
      streamId = undefined;
    }
  });

  watch(params, () => void start(), { immediate: true, deep: true });
  watch(paused, (p) => {
    if (!p && buffer.length > 0) {
      push(buffer);
      buffer = [];
      held.value = 0;
    }
  }, { flush: 'sync' });

  onScopeDispose(() => {
    gen++;
    stop();
    offLog();
    offStatus();
  });

  return { lines, status, error, paused, held, restart: () => void start() };
}
