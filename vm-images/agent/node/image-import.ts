// Imports the node's image tarballs into containerd (ctr, namespace k8s.io) at start, skipping a
// tarball that was imported before (same size and mtime, recorded in the state dir) whose images the
// runtime still has — so an agent restart does not re-import everything. One at a time: containerd takes
// three imports side by side more slowly than one after another (measured 1.1–1.7 s against 0.74–1.06 s).
// The sandbox (pause) image's tarball goes first: no pod starts without it, so the node turns Ready and
// pods sync once it is in. The others wait some seconds unless a pod wants one (asked when the pod is first
// synced, so that its image goes in while its sandbox is made): on a cold start the first pods' sandboxes, and
// the import of the one image they need, then have the node's CPUs without imports of images nobody runs yet
// beside them (a pod about to pull an image no tarball is named after starts them at once).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SANDBOX_IMAGE } from '../../../main/protocol/containerd-config';
import { parseImageRef } from '../pods/image-ref';
import type { CriClient } from '../cri/client';
import { importImage } from '../runtime/containerd';

interface Imported { size: number; mtimeMs: number; refs: string[] }
type Record_ = Record<string, Imported>;

function readRecord(file: string): Record_ {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record_) : {};
  } catch { return {}; }
}

/** Image references from `ctr images import` output ("unpacking docker.io/x/y:1 (sha256:…)...done"). */
export function importedRefs(output: string): string[] {
  return [...output.matchAll(/^unpacking (\S+) \(/gm)].map((m) => m[1] ?? '').filter(Boolean);
}

export interface ImportOptions {
  cri: Pick<CriClient, 'imageStatus'>;
  socket: string;
  stateDir: string;
  ctrBin?: string;
  log: (line: string) => void;
  /** How long the tarballs no pod asked for wait once the sandbox image is in (default REST_AFTER_MS; 0: no wait). */
  restAfterMs?: number;
  /** The agent's stop: ends that wait. */
  signal?: AbortSignal;
}

/**
 * The tarballs no pod asked for go in this long after the sandbox image's: by then a cold start's first pods run and the
 * rest of the start-up's work is done.
 */
export const REST_AFTER_MS = 10_000;

/** Imports one tarball unless already imported; resolves with its image references. */
export async function importTarball(o: ImportOptions, tarball: string): Promise<string[]> {
  const recordFile = join(o.stateDir, 'imported-images.json');
  const record = readRecord(recordFile);
  const st = statSync(tarball);
  const prev = record[tarball];
  if (prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs && prev.refs.length > 0) {
    const present = await Promise.all(prev.refs.map((r) => o.cri.imageStatus(r)));
    if (present.every(Boolean)) {
      o.log(`image ${prev.refs.join(', ')} already imported`);
      return prev.refs;
    }
  }
  const refs = importedRefs(await importImage(o.socket, tarball, o.ctrBin));
  o.log(`imported ${refs.join(', ') || tarball}`);
  writeFileSync(recordFile, JSON.stringify({ ...readRecord(recordFile), [tarball]: { size: st.size, mtimeMs: st.mtimeMs, refs } }, null, 2));
  return refs;
}

/** Runs `fn` until it succeeds (the agent's retry with back-off); rejects only when the agent stops. */
export type Retrying = (what: string, fn: () => Promise<string[]>) => Promise<string[]>;

/** The node's images as they go in. */
export interface NodeImages {
  /** Resolves when the sandbox image is in (or every tarball was tried), or when the agent stops. */
  sandbox: Promise<void>;
  /** Resolves when every tarball is in, or when the agent stops. */
  all: Promise<void>;
  /**
   * Resolves when the tarball named after the image (hello.tar for docker.io/flotilla/hello:1) is in, moving it ahead of
   * those not started yet (and past the wait of the rest); without such a tarball, when every one is in (the rest's wait
   * ends then).
   */
  bringing(image: string): Promise<void>;
  /** A pod will need the image soon: the tarball named after it (if any) goes next, past the rest's wait. */
  ahead(image: string): void;
}

/** An image reference's repository's last path segment: `pause` for registry.example:5000/infra/pause:3.9 ('' if malformed). */
function imageName(ref: string): string {
  try {
    return parseImageRef(ref).repository.split('/').pop() ?? '';
  } catch {
    return '';
  }
}

/** The sandbox image's tarball first (by its name: pause.tar for docker.io/flotilla/pause:1), the rest in their order. */
export function sandboxFirst(tarballs: string[], sandboxImage = SANDBOX_IMAGE): string[] {
  const first = tarballs.filter((f) => basename(f, '.tar') === imageName(sandboxImage));
  return [...first, ...tarballs.filter((f) => !first.includes(f))];
}

/**
 * Imports the tarballs one after another (the sandbox image's first, then any a pod is waiting for, then the rest once
 * `restAfterMs` has passed), each retried until it goes in (a missing file is logged and skipped); `retrying` rejects
 * only when the agent stops, which ends the imports and resolves every promise. Without a sandbox image's tarball
 * nothing waits (the node's Ready waits for every tarball then).
 */
export function importNodeImages(o: ImportOptions, tarballs: string[], retrying: Retrying): NodeImages {
  const queue = sandboxFirst(tarballs);
  const tarballOf = (image: string): string | undefined => tarballs.find((f) => basename(f, '.tar') === imageName(image));
  const sandboxFile = tarballOf(SANDBOX_IMAGE);
  const done = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  for (const file of queue) {
    let resolve = (): void => undefined;
    done.set(file, { promise: new Promise<void>((r) => { resolve = r; }), resolve });
  }
  let sandboxIn = (): void => undefined;
  const sandbox = new Promise<void>((resolve) => { sandboxIn = resolve; });
  // The rest are held until released (the timer, or a pod asking for an image no tarball is named after); a tarball a
  // pod asked for goes as soon as the one going in is done.
  const asked = new Set<string>();
  let released = sandboxFile === undefined || (o.restAfterMs ?? REST_AFTER_MS) <= 0;
  let wake = (): void => undefined;
  const release = (): void => { released = true; wake(); };
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<void>((resolve) => {
    if (o.signal?.aborted) resolve();
    o.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  const held = (file: string): boolean => !released && file !== sandboxFile && !asked.has(file);
  const all = (async () => {
    for (;;) {
      const next = queue[0];
      if (next === undefined || o.signal?.aborted) break;
      if (held(next)) {
        timer ??= setTimeout(release, o.restAfterMs ?? REST_AFTER_MS);
        await Promise.race([new Promise<void>((r) => { wake = r; }), stopped]);
        continue;
      }
      queue.shift();
      if (!existsSync(next)) {
        o.log(`image tarball ${next} is missing`);
      } else {
        const refs = await retrying(`importing ${next}`, () => importTarball(o, next));
        if (refs.includes(SANDBOX_IMAGE)) sandboxIn();
      }
      done.get(next)?.resolve();
    }
  })().catch(() => undefined).finally(() => {
    clearTimeout(timer);
    sandboxIn();
    for (const d of done.values()) d.resolve();
  });
  /** The tarball goes next (unless it is going in or in already), past the rest's wait. */
  const sendAhead = (file: string): void => {
    asked.add(file);
    const waiting = queue.indexOf(file);
    if (waiting > 0) queue.unshift(...queue.splice(waiting, 1));
    wake();
  };
  const ahead = (image: string): void => {
    const file = tarballOf(image);
    if (file !== undefined) sendAhead(file);
  };
  const bringing = (image: string): Promise<void> => {
    const file = tarballOf(image);
    if (file === undefined) {
      release(); // any tarball may bring it
      return all;
    }
    sendAhead(file);
    return done.get(file)?.promise ?? all;
  };
  return { sandbox, all, bringing, ahead };
}
