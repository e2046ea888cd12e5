// Typed async CRI client over containerd's unix socket, every call with a deadline.
import * as grpc from '@grpc/grpc-js';
import { loadCriServices } from './load';
import type {
  AuthConfig, Container, ContainerConfig, ContainerFilter, ContainerStats, ContainerStatus, ExecSyncResult, FilesystemUsage, Image,
  PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, VersionResponse,
} from './types';

/** A failed CRI call: gRPC status code plus the runtime's message. */
export class CriError extends Error {
  constructor(readonly method: string, readonly code: grpc.status, readonly details: string) {
    super(`CRI ${method}: ${details}`);
  }
  get notFound(): boolean { return this.code === grpc.status.NOT_FOUND; }
  get deadlineExceeded(): boolean { return this.code === grpc.status.DEADLINE_EXCEEDED; }
}

type Callback = (err: grpc.ServiceError | null, res: unknown) => void;
type Unary = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: Callback) => unknown;

/** A unary call by the method's name with a deadline; a failure is a CriError naming `label`. */
export function unaryCall<T>(client: grpc.Client, method: string, label: string, req: unknown, meta: grpc.Metadata, timeoutMs: number): Promise<T> {
  const fn: unknown = (client as unknown as Record<string, unknown>)[method];
  if (typeof fn !== 'function') return Promise.reject(new Error(`CRI: no method ${label}`));
  return new Promise<T>((resolve, reject) => {
    (fn as Unary).call(client, req, meta, { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(new CriError(label, err.code, err.details || err.message));
      else resolve(res as T);
    });
  });
}

export interface CriClientOptions {
  /** Default deadline for quick calls, ms (default 30 s). */
  timeoutMs?: number;
}

export class CriClient {
  private readonly runtime: grpc.Client;
  private readonly images: grpc.Client;
  private readonly timeoutMs: number;

  constructor(readonly socket: string, opts: CriClientOptions = {}) {
    const { RuntimeService, ImageService } = loadCriServices();
    const address = `unix://${socket}`;
    const options = { 'grpc.max_receive_message_length': 32 * 1024 * 1024 };
    this.runtime = new RuntimeService(address, grpc.credentials.createInsecure(), options);
    this.images = new ImageService(address, grpc.credentials.createInsecure(), options);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  close(): void {
    this.runtime.close();
    this.images.close();
  }

  private call<T>(client: grpc.Client, method: string, req: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    return unaryCall(client, method, method, req, new grpc.Metadata(), timeoutMs);
  }

  version(timeoutMs?: number): Promise<VersionResponse> {
    return this.call(this.runtime, 'Version', { version: 'v1' }, timeoutMs);
  }

  /** `runtimeHandler`: the RuntimeClass's handler (a runtime of containerd's config), '' for the default. */
  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = '', timeoutMs = 120_000): Promise<string> {
    const res = await this.call<{ pod_sandbox_id: string }>(this.runtime, 'RunPodSandbox', { config, runtime_handler: runtimeHandler }, timeoutMs);
    return res.pod_sandbox_id;
  }

  async stopPodSandbox(id: string, timeoutMs = 120_000): Promise<void> {
    await this.call(this.runtime, 'StopPodSandbox', { pod_sandbox_id: id }, timeoutMs);
  }

  async removePodSandbox(id: string, timeoutMs = 120_000): Promise<void> {
    await this.call(this.runtime, 'RemovePodSandbox', { pod_sandbox_id: id }, timeoutMs);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const res = await this.call<{ status: PodSandboxStatus }>(this.runtime, 'PodSandboxStatus', { pod_sandbox_id: id });
    return res.status;
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const res = await this.call<{ items: PodSandbox[] }>(this.runtime, 'ListPodSandbox', { filter });
    return res.items;
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig, timeoutMs = 60_000): Promise<string> {
    const res = await this.call<{ container_id: string }>(this.runtime, 'CreateContainer',
      { pod_sandbox_id: podSandboxId, config, sandbox_config: sandboxConfig }, timeoutMs);
    return res.container_id;
  }

  async startContainer(id: string, timeoutMs = 60_000): Promise<void> {
    await this.call(this.runtime, 'StartContainer', { container_id: id }, timeoutMs);
  }

  /** Sends the stop signal, SIGKILL after timeoutSeconds. */
  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    await this.call(this.runtime, 'StopContainer', { container_id: id, timeout: timeoutSeconds }, (timeoutSeconds + 30) * 1000);
  }

  async removeContainer(id: string): Promise<void> {
    await this.call(this.runtime, 'RemoveContainer', { container_id: id }, 60_000);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const res = await this.call<{ containers: Container[] }>(this.runtime, 'ListContainers', { filter });
    return res.containers;
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const res = await this.call<{ status: ContainerStatus }>(this.runtime, 'ContainerStatus', { container_id: id });
    return res.status;
  }

  async reopenContainerLog(id: string): Promise<void> {
    await this.call(this.runtime, 'ReopenContainerLog', { container_id: id });
  }

  /** Runs cmd in the container; a timeout surfaces as CriError with deadlineExceeded. */
  execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResult> {
    return this.call(this.runtime, 'ExecSync', { container_id: id, cmd, timeout: timeoutSeconds }, timeoutSeconds * 1000 + 2000);
  }

  async exec(id: string, cmd: string[], opts: { tty?: boolean; stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<string> {
    const res = await this.call<{ url: string }>(this.runtime, 'Exec', {
      container_id: id, cmd, tty: opts.tty ?? false, stdin: opts.stdin ?? false, stdout: opts.stdout ?? true, stderr: opts.stderr ?? !opts.tty,
    });
    return res.url;
  }

  /** The streaming URL for attaching to the container's own stdio (tty must match the container's config). */
  async attach(id: string, opts: { tty?: boolean; stdin?: boolean; stdout?: boolean; stderr?: boolean }): Promise<string> {
    const res = await this.call<{ url: string }>(this.runtime, 'Attach', {
      container_id: id, tty: opts.tty ?? false, stdin: opts.stdin ?? false, stdout: opts.stdout ?? true, stderr: opts.stderr ?? !opts.tty,
    });
    return res.url;
  }

  async containerStats(id: string): Promise<ContainerStats> {
    const res = await this.call<{ stats: ContainerStats }>(this.runtime, 'ContainerStats', { container_id: id });
    return res.stats;
  }

  async listContainerStats(filter?: { id?: string; pod_sandbox_id?: string; label_selector?: Record<string, string> }): Promise<ContainerStats[]> {
    const res = await this.call<{ stats: ContainerStats[] }>(this.runtime, 'ListContainerStats', { filter });
    return res.stats;
  }

  async pullImage(image: string, sandboxConfig?: PodSandboxConfig, timeoutMs = 600_000, auth?: AuthConfig): Promise<string> {
    const req = { image: { image }, sandbox_config: sandboxConfig, ...(auth ? { auth } : {}) };
    const res = await this.call<{ image_ref: string }>(this.images, 'PullImage', req, timeoutMs);
    return res.image_ref;
  }

  async listImages(): Promise<Image[]> {
    const res = await this.call<{ images: Image[] }>(this.images, 'ListImages', {});
    return res.images;
  }

  /** The image, or null when it is not present. */
  async imageStatus(image: string): Promise<Image | null> {
    const res = await this.call<{ image: Image | null }>(this.images, 'ImageStatus', { image: { image } });
    return res.image && res.image.id ? res.image : null;
  }

  async removeImage(image: string): Promise<void> {
    await this.call(this.images, 'RemoveImage', { image: { image } }, 120_000);
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    const res = await this.call<{ image_filesystems: FilesystemUsage[] }>(this.images, 'ImageFsInfo', {});
    return res.image_filesystems;
  }
}
