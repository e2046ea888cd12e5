// PodManager: the kubelet's pod half. Makes pods bound to this node so, reports their status, adopts running pods.
// Independent of the API: the agent's sync loop feeds it pods and forwards its 'status' events.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Pod, PodStatus, Service } from 'kubernetes-types/core/v1';
import type { CriClient } from '../cri/client';
import { Backoff } from './backoff';
import type { RefLookup } from './env';
import { removeCgroup } from './cgroups';
import { LABEL_MANAGED, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from './labels';
import { containerLogPath, parsePodLogDir } from './log-paths';
import type { PodEvent } from './events';
import { PodWorker, RESYNC_INTERVAL_MS, type WorkerDeps } from './pod-worker';
import { ProbeFaults } from './probe-faults';
import { RuntimeRelister } from './relist';
import { podSeen, seenDone } from './journey-spans';
import { podKey, type SandboxOptions } from './runtime-config';
import { sidecarNames } from './sidecars';
import { stopPod } from './stop-pod';
import { VolumeManager } from '../volumes/manager';
import type { AuthConfig } from '../cri/types';
import type { MirrorRewriter } from './mirror-rewrite';
import type { PullSecretLookup } from './keyring';

/** The sandbox settings (logs, cgroups, DNS, pods directory: see SandboxOptions) and the pod manager's own. */
export interface PodManagerOptions extends SandboxOptions {
  /** The node's IP (status.hostIP, host-network pods' podIP). */
  hostIP?: string;
  /** ConfigMap/Secret data for env references; undefined = not found. */
  lookup?: RefLookup;
  /** The CRI runtime handler of a pod's RuntimeClass. */
  runtimeHandler?: (pod: Pod) => Promise<string>;
  /** The cluster's Services, for the containers' service variables (undefined until first listed). */
  services?: () => readonly Service[] | undefined;
  /** Restart backoff: base (default 10 s) doubling up to max (default 5 min). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** How soon a pod with something still to do (a start, a retry) is reconciled again (default 1 s). */
  syncIntervalMs?: number;
  /**
   * How often a pod with nothing to do is reconciled anyway (default 1 min, jittered: the kubelet's syncFrequency): the
   * runtime's changes (a container exited, a sandbox died) reach it sooner, through the relist of every pod once a
   * second (relist.ts).
   */
  resyncIntervalMs?: number;
  /** How often the runtime is relisted while there are pods (default 1 s). */
  relistPeriodMs?: number;
  /** Reads a pod's imagePullSecrets; the node's own registry credentials, tried after them. */
  pullSecrets?: PullSecretLookup;
  registryAuth?: (image: string) => AuthConfig[];
  mirrorRewrite?: MirrorRewriter;
  /** Resolves once the node's image tarball that may bring the image is in: an image not present is pulled only after. */
  imagesImported?: (image: string) => Promise<void>;
  /** A new pod's images, before its sandbox is made: a tarball of the node's that brings one goes in beside that work. */
  imagesWanted?: (image: string) => void;
  /** The pods' volumes (default: a manager without API access, its pod dirs in a `pods` dir beside logDir). */
  volumes?: VolumeManager;
  /** The agent's metrics (pod syncs, starts, probes). */
  metrics?: WorkerDeps['metrics'];
}

export type PodStatusListener = (uid: string, status: PodStatus, pod: Pod) => void;
export type PodErrorListener = (uid: string, err: unknown) => void;
export type PodEventListener = (uid: string, event: PodEvent, pod: Pod) => void;

/** A pod found running in the runtime. */
export interface AdoptedPod { uid: string; namespace: string; name: string; sandboxId: string; ready: boolean }

export class PodManager {
  private readonly workers = new Map<string, PodWorker>();
  private readonly statusListeners = new Set<PodStatusListener>();
  private readonly errorListeners = new Set<PodErrorListener>();
  private readonly eventListeners = new Set<PodEventListener>();
  private readonly backoff: Backoff;
  private readonly relister: RuntimeRelister;
  readonly volumes: VolumeManager;
  /** Readiness probes failed on purpose (PUT/DELETE /faults/readiness on the agent's server). */
  readonly probeFaults = new ProbeFaults();

  constructor(private readonly cri: CriClient, private readonly opts: PodManagerOptions) {
    this.backoff = new Backoff(opts.backoffBaseMs ?? 10_000, opts.backoffMaxMs ?? 300_000);
    this.volumes = opts.volumes ?? new VolumeManager({ podsDir: join(dirname(opts.logDir), 'pods') });
    this.relister = new RuntimeRelister(cri, {
      periodMs: opts.relistPeriodMs,
      onChange: (uids) => this.kick(uids),
      onError: (err) => { for (const l of this.errorListeners) l('(relist)', new Error(`relisting the runtime: ${err instanceof Error ? err.message : String(err)}`)); },
    });
  }

  /** Creates or updates the pod; resolves after one reconciliation pass (not when it is Running). */
  sync(pod: Pod): Promise<void> {
    const { uid } = podKey(pod);
    const existing = this.workers.get(uid);
    if (existing) return existing.update(pod);
    const worker = new PodWorker({
      cri: this.cri,
      sandbox: {
        logDir: this.opts.logDir, cgroupParent: this.opts.cgroupParent, nodeCpuLimit: this.opts.nodeCpuLimit,
        clusterDNS: this.opts.clusterDNS, clusterDomain: this.opts.clusterDomain, resolvConf: this.opts.resolvConf, podsDir: this.opts.podsDir,
      },
      hostIP: this.opts.hostIP,
      lookup: this.opts.lookup,
      runtimeHandler: this.opts.runtimeHandler,
      services: this.opts.services,
      pullSecrets: this.opts.pullSecrets,
      registryAuth: this.opts.registryAuth,
      mirrorRewrite: this.opts.mirrorRewrite,
      imagesImported: this.opts.imagesImported,
      backoff: this.backoff,
      syncIntervalMs: this.opts.syncIntervalMs ?? 1000,
      resyncIntervalMs: this.opts.resyncIntervalMs ?? RESYNC_INTERVAL_MS,
      volumes: this.volumes,
      metrics: this.opts.metrics,
      probeFaults: this.probeFaults,
      onStatus: (id, status, p) => { for (const l of this.statusListeners) l(id, status, p); },
      onError: (id, err) => { for (const l of this.errorListeners) l(id, err); },
      onEvent: (id, ev, p) => { for (const l of this.eventListeners) l(id, ev, p); },
    }, pod);
    this.workers.set(uid, worker);
    for (const c of [...pod.spec?.initContainers ?? [], ...pod.spec?.containers ?? []]) if (c.image) this.opts.imagesWanted?.(c.image);
    this.relister.ensureRunning(() => this.workers.size > 0);
    podSeen(pod, pod.spec?.nodeName);
    return worker.kickAndWait();
  }

  /** Syncs these pods now (their volumes' ConfigMaps or Secrets changed). */
  kick(uids: string[]): void {
    for (const uid of uids) this.workers.get(uid)?.kick();
  }

  status(uid: string): PodStatus | undefined {
    return this.workers.get(uid)?.currentStatus();
  }

  /** The CRI log file of a container's current (or, with previous, its last terminated) instance. */
  logPath(uid: string, container: string, previous = false): string | undefined {
    const worker = this.workers.get(uid);
    if (!worker) return undefined;
    const pod = worker.currentPod();
    const st = worker.currentStatus();
    const all = [...(st?.containerStatuses ?? []), ...(st?.initContainerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])];
    const cs = all.find((c) => c.name === container);
    if (!cs) return undefined;
    // Instance n logs to n.log and restartCount is the newest instance (for CrashLoopBackOff, the last one that ran).
    const n = previous ? (cs.restartCount ?? 0) - 1 : (cs.restartCount ?? 0);
    if (n < 0 || (previous && !cs.lastState?.terminated)) return undefined;
    return containerLogPath(this.opts.logDir, podKey(pod), container, n);
  }

  uids(): string[] {
    return [...this.workers.keys()];
  }

  /** The pods this node runs, as last received from the API (the kubelet's pod manager's pods). */
  pods(): Pod[] {
    return [...this.workers.values()].map((w) => w.currentPod());
  }

  /** Graceful stop: SIGTERM, SIGKILL after the grace period (default spec.terminationGracePeriodSeconds), then the sandbox. */
  async terminate(pod: Pod | string, gracePeriodSeconds?: number): Promise<void> {
    const uid = typeof pod === 'string' ? pod : podKey(pod).uid;
    const worker = this.workers.get(uid);
    if (worker) {
      await worker.terminate(gracePeriodSeconds ?? worker.currentPod().spec?.terminationGracePeriodSeconds ?? 30);
      return;
    }
    // Not synced since the agent started (deleted while it was down): stop what the runtime still runs.
    const grace = gracePeriodSeconds ?? (typeof pod === 'string' ? 30 : pod.spec?.terminationGracePeriodSeconds ?? 30);
    await stopPod(this.cri, uid, grace, {
      event: (ev) => { if (typeof pod !== 'string') for (const l of this.eventListeners) l(uid, ev, pod); },
      error: (err) => { for (const l of this.errorListeners) l(uid, err); },
    }, { sidecars: typeof pod === 'string' ? [] : sidecarNames(pod) });
  }

  /** After the API has forgotten the pod: removes its containers, sandboxes, volumes, logs and cgroup. */
  async remove(uid: string): Promise<void> {
    seenDone(uid);
    const worker = this.workers.get(uid);
    if (worker) { await worker.terminate(0); await worker.close(); this.workers.delete(uid); }
    await this.removeRuntimePod(uid);
    await this.volumes.tearDown(uid);
    for (const d of this.logDirs()) if (parsePodLogDir(d)?.uid === uid) rmSync(join(this.opts.logDir, d), { recursive: true, force: true });
    this.backoff.forget(`${uid}/`);
    this.probeFaults.forget(uid);
  }

  /**
   * Fails (fail true) or restores the readiness probe of one container of a pod this agent runs: what the control plane's
   * one-click failure asks through PUT/DELETE /faults/readiness. Returns why not when the pod or container is unknown
   * or the container has no readiness probe (without one the kubelet counts it ready: nothing to fail).
   */
  forceReadiness(uid: string, container: string, fail: boolean): { ok: true; changed: boolean } | { ok: false; code: 404 | 409; message: string } {
    const pod = this.workers.get(uid)?.currentPod();
    if (!pod) return { ok: false, code: 404, message: `pod ${uid} is not on this node` };
    const c = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((x) => x.name === container);
    if (!c) return { ok: false, code: 404, message: `pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} has no container ${container}` };
    if (!fail) {
      const changed = this.probeFaults.heal(uid, container);
      if (changed) this.kick([uid]);
      return { ok: true, changed };
    }
    if (!c.readinessProbe) return { ok: false, code: 409, message: `container ${container} of pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} has no readiness probe` };
    this.probeFaults.fail(uid, container);
    return { ok: true, changed: true };
  }

  private async removeRuntimePod(uid: string): Promise<void> {
    const boxes = await this.cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: uid, [LABEL_MANAGED]: 'true' } });
    for (const b of boxes) {
      await this.cri.stopPodSandbox(b.id).catch(() => undefined);
      await this.cri.removePodSandbox(b.id);
    }
    if (this.opts.cgroupParent) removeCgroup(`${this.opts.cgroupParent}/pod${uid}`);
  }

  private logDirs(): string[] {
    try { return readdirSync(this.opts.logDir); } catch { return []; }
  }

  /** Pods this agent created that the runtime still has (e.g. after an agent restart); sync() them to take over. */
  async adopt(): Promise<AdoptedPod[]> {
    const boxes = await this.cri.listPodSandbox({ label_selector: { [LABEL_MANAGED]: 'true' } });
    const byUid = new Map<string, AdoptedPod>();
    for (const b of boxes) {
      const uid = b.labels[LABEL_POD_UID];
      if (!uid) continue;
      const ready = b.state === 'SANDBOX_READY';
      const prev = byUid.get(uid);
      if (prev && prev.ready && !ready) continue;
      byUid.set(uid, { uid, namespace: b.labels[LABEL_POD_NAMESPACE] ?? '', name: b.labels[LABEL_POD_NAME] ?? '', sandboxId: b.id, ready });
    }
    return [...byUid.values()];
  }

  /** Removes runtime pods, volumes and log directories of pods not in `keep` (stale after deletions while the agent was down). */
  async cleanup(keep: Iterable<string>): Promise<string[]> {
    const keepSet = new Set([...keep, ...this.workers.keys()]);
    const removed = new Set<string>();
    for (const p of await this.adopt()) {
      if (keepSet.has(p.uid)) continue;
      await this.removeRuntimePod(p.uid);
      removed.add(p.uid);
    }
    for (const d of this.logDirs()) {
      const parsed = parsePodLogDir(d);
      if (!parsed || keepSet.has(parsed.uid)) continue;
      rmSync(join(this.opts.logDir, d), { recursive: true, force: true });
      removed.add(parsed.uid);
    }
    for (const uid of await this.volumes.cleanupOrphans(keepSet)) removed.add(uid);
    return [...removed];
  }

  on(event: 'status', listener: PodStatusListener): () => void;
  on(event: 'event', listener: PodEventListener): () => void;
  on(event: 'error', listener: PodErrorListener): () => void;
  on(event: 'status' | 'event' | 'error', listener: PodStatusListener | PodEventListener | PodErrorListener): () => void {
    if (event === 'event') {
      const l = listener;
      this.eventListeners.add(l);
      return () => { this.eventListeners.delete(l); };
    }
    if (event === 'status') {
      const l = listener as PodStatusListener;
      this.statusListeners.add(l);
      return () => { this.statusListeners.delete(l); };
    }
    const l = listener as PodErrorListener;
    this.errorListeners.add(l);
    return () => { this.errorListeners.delete(l); };
  }

  /** Stops all workers and probes; pods keep running. */
  async close(): Promise<void> {
    this.relister.stop();
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    this.workers.clear();
  }
}
