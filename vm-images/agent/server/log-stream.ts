// Writes a container's CRI log file to an HTTP response: what is there now (tail/since/limit), and with
// follow the entries written later, until the container stops running (as the kubelet does) or the client leaves.
import { open, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import type { Writable } from 'node:stream';
import { LogAssembler, formatEntry, parseCriLine, splitLines, type LogEntry } from './cri-log';
import type { LogOptions } from './log-options';
import { ByteLimit, passesSince } from './log-select';
import { tailOffset } from './log-tail';

export interface LogStreamDeps {
  /** Whether the container instance that writes this file is still running (checked when following). */
  running(): Promise<boolean>;
  /** How often `running` is checked while following (ms, default 1000). */
  checkIntervalMs?: number;
}

const CHUNK = 64 * 1024;

async function readFrom(fh: FileHandle, offset: number): Promise<{ text: Buffer; offset: number }> {
  const parts: Buffer[] = [];
  for (;;) {
    const buf = Buffer.alloc(CHUNK);
    const { bytesRead } = await fh.read(buf, 0, CHUNK, offset);
    if (bytesRead === 0) break;
    parts.push(buf.subarray(0, bytesRead));
    offset += bytesRead;
  }
  return { text: Buffer.concat(parts), offset };
}

function write(out: Writable, data: Buffer): Promise<void> {
  if (data.length === 0 || out.destroyed) return Promise.resolve();
  if (out.write(data)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => { out.off('drain', done); out.off('close', done); resolve(); };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Streams the log file at `path` to `out` (without ending it). */
export async function streamLogFile(path: string, opts: LogOptions, out: Writable, deps: LogStreamDeps): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const limit = new ByteLimit(opts.limitBytes);
    const asm = new LogAssembler();
    let carry = '';
    const entriesOf = (chunk: Buffer): LogEntry[] => {
      const { lines, rest } = splitLines(carry, chunk.toString('utf8'));
      carry = rest;
      const res: LogEntry[] = [];
      for (const l of lines) {
        const p = parseCriLine(l);
        const e = p && asm.push(p);
        if (e) res.push(e);
      }
      return res;
    };
    /** Writes the entries in `chunk`; false once limitBytes is reached. */
    const emit = async (chunk: Buffer): Promise<boolean> => {
      for (const e of entriesOf(chunk)) {
        if (!passesSince(e, opts)) continue;
        await write(out, limit.cut(formatEntry(e, opts.timestamps)));
        if (limit.reached) return false;
      }
      return true;
    };
    const { size } = await fh.stat();
    let offset = opts.tailLines === undefined ? 0 : await tailOffset(fh, size, opts.tailLines);
    // What is in the file now, a chunk at a time (up to its size at the start: later lines are "followed").
    while (offset < size) {
      const buf = Buffer.alloc(Math.min(CHUNK, size - offset));
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      if (!(await emit(buf.subarray(0, bytesRead)))) return;
      if (out.destroyed) return;
    }
    if (!opts.follow) return;
    await follow(path, fh, offset, out, deps, emit);
  } finally {
    await fh.close();
  }
}

/** Reads what is appended to the file until the container stops, the client goes away or `emit` says stop. */
async function follow(
  path: string, fh: FileHandle, start: number, out: Writable, deps: LogStreamDeps, emit: (chunk: Buffer) => Promise<boolean>,
): Promise<void> {
  let offset = start;
  let wake: (() => void) | undefined;
  let changed = false;
  const poke = (): void => { changed = true; wake?.(); };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(path, poke);
    watcher.on('error', poke); // e.g. the file was removed: the running check decides
  } catch { watcher = undefined; }
  const timer = setInterval(poke, deps.checkIntervalMs ?? 1000);
  const onClose = (): void => poke();
  out.on('close', onClose);
  try {
    for (;;) {
      if (out.destroyed || out.writableEnded) return;
      changed = false;
      const running = await deps.running();
      const got = await readFrom(fh, offset);
      offset = got.offset;
      if (got.text.length && !(await emit(got.text))) return;
      if (!running) return;
      if (!changed) await new Promise<void>((resolve) => { wake = resolve; });
      wake = undefined;
    }
  } finally {
    clearInterval(timer);
    watcher?.close();
    out.off('close', onClose);
  }
}
