// The kubelet's termination message: an empty file on the node, mounted read-write at the container's
// terminationMessagePath (default /dev/termination-log); when the container has exited, its last
// 4096 bytes become state.terminated.message. With FallbackToLogsOnError, an empty file and a non-zero
// exit take the message from the end of the container's log instead (last 80 lines, at most 2048 bytes).
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1';
import type { ContainerConfig } from '../cri/types';
import { ANN_TERMINATION_MESSAGE_HOST_PATH, ANN_TERMINATION_MESSAGE_PATH, ANN_TERMINATION_MESSAGE_POLICY } from './labels';

type Mount = NonNullable<ContainerConfig['mounts']>[number];

const MAX_MESSAGE_BYTES = 4096;
const MAX_LOG_LINES = 80;
const MAX_LOG_BYTES = 2048;

/** The file, its mount and the annotations that let the status find it again; none without a path. */
export function terminationMessageSetup(podDir: string, c: Container, attempt: number): { mount: Mount; annotations: Record<string, string> } | undefined {
  const containerPath = c.terminationMessagePath ?? '/dev/termination-log';
  if (!containerPath) return undefined;
  const dir = join(podDir, 'containers', c.name);
  mkdirSync(dir, { recursive: true });
  const hostPath = join(dir, `termination-${attempt}`);
  writeFileSync(hostPath, '', { mode: 0o666 });
  return {
    mount: { container_path: containerPath, host_path: hostPath, readonly: false },
    annotations: {
      [ANN_TERMINATION_MESSAGE_PATH]: containerPath,
      [ANN_TERMINATION_MESSAGE_POLICY]: c.terminationMessagePolicy ?? 'File',
      [ANN_TERMINATION_MESSAGE_HOST_PATH]: hostPath,
    },
  };
}

function tail(path: string, maxBytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = statSync(path).size;
    const n = Math.min(size, maxBytes);
    const buf = Buffer.alloc(n);
    readSync(fd, buf, 0, n, size - n);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The messages of a CRI log file's last lines (`<time> <stream> <P|F> <msg>`), joined as written. */
function logTail(logPath: string): string {
  let text: string;
  try {
    text = readFileSync(logPath, 'utf8');
  } catch {
    return '';
  }
  const lines = text.split('\n').filter(Boolean).slice(-MAX_LOG_LINES);
  let out = '';
  for (const l of lines) {
    const parts = l.split(' ');
    out += parts.slice(3).join(' ') + (parts[2] === 'P' ? '' : '\n');
  }
  return out.length > MAX_LOG_BYTES ? out.slice(out.length - MAX_LOG_BYTES) : out;
}

/** The termination message of an exited container, as the kubelet reads it (empty when there is none). */
export function terminationMessage(annotations: Record<string, string>, exitCode: number, reason: string, logPath: string): string {
  const fallback = annotations[ANN_TERMINATION_MESSAGE_POLICY] === 'FallbackToLogsOnError' && exitCode !== 0 && reason !== 'ContainerCannotRun';
  const hostPath = annotations[ANN_TERMINATION_MESSAGE_HOST_PATH];
  const fromFile = hostPath ? tail(hostPath, MAX_MESSAGE_BYTES) : undefined;
  if (fromFile) return fromFile;
  return fallback && logPath ? logTail(logPath) : '';
}
