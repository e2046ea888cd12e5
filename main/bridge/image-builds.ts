// Builds from the UI: a Dockerfile folder (a path on this machine, or its files sent by a browser,
// written to a scratch context under <data-dir>/build-contexts and removed afterwards) built with
// buildah and pushed to the built-in registry (nodes/image-build.ts). The request is checked before
// anything starts (Dockerfile, name, size, buildah); the log then streams in batches.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { buildImage, BUILDAH_MISSING, resolveDockerfile } from '../nodes/image-build';
import { parseTarget } from '../nodes/image-ref';
import { onPath } from '../nodes/exec';
import { BUILD_CONTEXT_LIMIT, type BridgeError, type BuildFile, type BuildImageRequest } from './contract';
import { BridgeFailure, toBridgeError } from './errors';

export interface BuildSink {
  lines(lines: string[]): void;
  end(result: { image?: string; digest?: string; error?: BridgeError }): void;
}

export interface BuildDeps { dataDir: string; registryPort?: number }

const FLUSH_MS = 50;

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** A relative path inside the context, or a 422 naming it. */
function safePath(p: unknown): string {
  if (typeof p !== 'string' || !p) throw new BridgeFailure(422, 'Invalid', 'every file needs a path');
  const norm = path.posix.normalize(p.replace(/\\/g, '/'));
  if (norm.startsWith('/') || norm === '..' || norm.startsWith('../') || norm === '.') {
    throw new BridgeFailure(422, 'Invalid', `file path "${p}" must stay inside the build context`);
  }
  return norm;
}

/** Writes the files into a fresh folder; the whole context is refused above the limit. */
function writeContext(dataDir: string, files: BuildFile[]): string {
  const decoded = files.map((f) => ({ path: safePath(f?.path), data: Buffer.from(typeof f?.dataBase64 === 'string' ? f.dataBase64 : '', 'base64') }));
  const total = decoded.reduce((n, f) => n + f.data.length, 0);
  if (total > BUILD_CONTEXT_LIMIT) {
    throw new BridgeFailure(413, 'RequestEntityTooLarge',
      `the build context is ${mib(total)}, more than the ${mib(BUILD_CONTEXT_LIMIT)} the UI sends: build it with \`flotilla images build DIR\` instead, or leave large files out`);
  }
  const dir = path.join(dataDir, 'build-contexts', randomUUID());
  for (const f of decoded) {
    const target = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.data);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function invalid(e: unknown): BridgeFailure {
  return new BridgeFailure(422, 'Invalid', e instanceof Error ? e.message : String(e));
}

/** Checks the request, then starts the build; returns its disposer (aborts buildah). Throws before starting on bad input. */
export function startBuild(deps: BuildDeps, req: BuildImageRequest, sink: BuildSink): () => void {
  if (!deps.registryPort) throw new BridgeFailure(503, 'ServiceUnavailable', 'Flotilla runs no built-in registry to push the build to (it was started with --registry-port 0)');
  const registry = `localhost:${deps.registryPort}`;
  if (typeof req.name !== 'string' || !req.name.trim()) throw new BridgeFailure(422, 'Invalid', 'name must be a non-empty string, e.g. web:1');
  try { parseTarget(req.name.trim(), registry); } catch (e) { throw invalid(e); }
  const hasFiles = Array.isArray(req.files);
  if (!hasFiles && (typeof req.dir !== 'string' || !path.isAbsolute(req.dir))) {
    throw new BridgeFailure(422, 'Invalid', 'give the build context as files or as an absolute folder path (dir)');
  }
  if (!onPath('buildah')) throw new BridgeFailure(501, 'BuildahMissing', BUILDAH_MISSING);
  const dir = hasFiles ? writeContext(deps.dataDir, req.files ?? []) : (req.dir as string);
  const cleanup = (): void => { if (hasFiles) fs.rmSync(dir, { recursive: true, force: true }); };
  try {
    resolveDockerfile(dir);
  } catch (e) {
    cleanup();
    throw invalid(e);
  }
  const abort = new AbortController();
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const flush = (): void => {
    timer = undefined;
    if (stopped || !pending.length) return;
    const batch = pending;
    pending = [];
    sink.lines(batch);
  };
  const finish = (result: { image?: string; digest?: string; error?: BridgeError }): void => {
    cleanup();
    if (stopped) return;
    if (timer) clearTimeout(timer);
    flush();
    stopped = true;
    sink.end(result);
  };
  buildImage({
    dir, name: req.name.trim(), registry, dataDir: deps.dataDir, signal: abort.signal,
    onLine: (line) => {
      if (stopped) return;
      pending.push(line);
      if (!timer) timer = setTimeout(flush, FLUSH_MS);
    },
  }).then(
    (r) => finish({ image: r.image, digest: r.digest }),
    (e: unknown) => finish({ error: { ...toBridgeError(e), code: 500, reason: 'BuildFailed' } }),
  );
  return () => {
    if (timer) clearTimeout(timer);
    stopped = true;
    abort.abort();
  };
}
