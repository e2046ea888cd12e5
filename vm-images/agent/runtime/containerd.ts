// Starts a private containerd for a root directory and waits until its CRI answers; imports image tarballs with ctr.
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { CriClient } from '../cri/client';
import { goArch } from '../node/node-info';
import { PollFailure, pollUntil } from '../../../main/protocol/poll';
import { containerdConfig, containerdPaths, type ContainerdConfigOptions, type ContainerdPaths } from '../../../main/protocol/containerd-config';
import { ctrImportArgv, importFailure } from '../../../main/protocol/image-import-lock';

export interface StartContainerdOptions extends ContainerdConfigOptions {
  /** Directory holding root/, state/, the socket, config.toml and containerd.log. */
  dir: string;
  containerdBin?: string;
  /** How long to wait for the CRI to answer, ms (default 20 s). */
  readyTimeoutMs?: number;
  /** Extra environment for containerd (PATH must reach runc and containerd-shim-runc-v2). */
  env?: NodeJS.ProcessEnv;
}

export interface RunningContainerd {
  pid: number;
  socket: string;
  paths: ContainerdPaths;
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process has exited. Shims (and pods) keep running. */
  stop(graceMs?: number): Promise<void>;
}

export async function startContainerd(opts: StartContainerdOptions): Promise<RunningContainerd> {
  const paths = containerdPaths(opts.dir);
  for (const d of [paths.root, paths.state, paths.runcRoot, paths.cniConfDir]) mkdirSync(d, { recursive: true });
  writeFileSync(paths.config, containerdConfig(paths, opts));
  const logFd = openSync(paths.log, 'a');
  const child = spawn(opts.containerdBin ?? 'containerd', ['--config', paths.config], {
    stdio: ['ignore', logFd, logFd], detached: true, env: opts.env ?? process.env,
  });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error('containerd: spawn failed');
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  child.unref();

  const stop = async (graceMs = 10_000): Promise<void> => {
    if (exited) return;
    try { process.kill(pid, 'SIGTERM'); } catch { return; }
    const timer = setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }, graceMs);
    await exitPromise;
    clearTimeout(timer);
  };

  const cri = new CriClient(paths.socket);
  try {
    await pollUntil(async () => {
      if (exited) throw new PollFailure(`containerd exited during startup; see ${paths.log}`);
      await cri.version(1000);
      return true;
    }, opts.readyTimeoutMs ?? 20_000, `containerd to answer on ${paths.socket}`, 50);
  } catch (err) {
    await stop(2000);
    throw err;
  } finally {
    cri.close();
  }
  return { pid, socket: paths.socket, paths, stop };
}

/**
 * Imports an OCI/docker image tarball into the k8s.io namespace (CRI has no import call): the content and
 * snapshot of one platform, the node's own (linux/<GOARCH>) unless another is given; under the node's import lock
 * (main/protocol/image-import-lock.ts), so never beside another import.
 */
export function importImage(socket: string, tarPath: string, ctrBin = 'ctr', platform = `linux/${goArch()}`): Promise<string> {
  const [cmd = 'flock', ...args] = ctrImportArgv({ ctr: ctrBin, socket, tarball: tarPath, platform });
  return new Promise((resolve, reject) => {
    execFile(cmd, args, (err, stdout, stderr) => {
      if (err) reject(new Error(importFailure(tarPath, typeof err.code === 'number' ? err.code : null, stderr || err.message)));
      else resolve(stdout);
    });
  });
}
