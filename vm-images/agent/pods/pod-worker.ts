// Drives one pod towards its spec: sandbox, init then app containers, restarts with backoff, probes, termination.
// Every pass re-reads the runtime, so a new worker on a running pod adopts it as it is. A pod whose containers all
// run as wanted (or are done) is passed again only every resyncIntervalMs: the manager's relist (relist.ts) kicks
// it as soon as the runtime changes; anything still to do (a start, a back-off, an error) comes back sooner.
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1';
import { formatDuration } from './backoff';
import { jitter } from '../../../main/client/backoff';
import { removeOldContainers } from './container-gc';
import { startContainer, type PullFailure, type RunningSandbox, type StartDeps, type StartState } from './container-start';
import { syncEphemeral } from './ephemeral-sync';
import { containerViews } from './container-views';
import { fieldPath, probeName, type PodEvent } from './events';
import { ContainerProber } from './prober';
import { answerLost, lostCreateKey, redoLostStart } from './lost-start';
import { anyRegularStarted, appRestarts, isSidecar, regularContainersDone, sidecarNames } from './sidecars';
import { runPreStop } from './lifecycle-hooks';
import { ensureSandbox } from './pod-sandbox';
import { stopContainers, stopPod, type StopPlan, type StopReport } from './stop-pod';
import { definitionChanged, podKey } from './runtime-config';
import { instances, listPodContainers, type ContainerKind, type RuntimeContainer } from './runtime-state';
import { buildPodStatus, isoSeconds, type Waiting } from './status';
import type { VolumePath } from '../volumes/container-mounts';
import { MountError } from '../volumes/errors';
import { MountFailures } from '../volumes/mount-failures';
import type { VolumeManager } from '../volumes/manager';
import type { AgentMetrics } from '../metrics/agent-metrics';
import { ReadinessMark, tracedStep } from './journey-spans';
import { STEP } from '../../../main/protocol/tracing/pod-trace';
import type { ProbeFaults } from './probe-faults';

export interface WorkerDeps extends StartDeps {
  onStatus: (uid: string, status: PodStatus, pod: Pod) => void;
  onError: (uid: string, err: unknown) => void;
  onEvent: (uid: string, event: PodEvent, pod: Pod) => void;
  volumes: VolumeManager;
  /** The agent's metrics: pod-worker passes, pod start durations, probe attempts (none: not counted). */
  metrics?: Pick<AgentMetrics, 'podSync' | 'podStarted' | 'probe'>;
  /** How soon a pod with nothing to do is passed again (the kubelet's sync frequency). */
  resyncIntervalMs: number;
  /** Readiness probes failed on purpose (one-click failures). */
  probeFaults?: ProbeFaults;
}

type Kind = ContainerKind;

/**
 * The kubelet's syncFrequency (1 min): how often a pod with nothing to do is passed again when nothing kicks it — the
 * relist (once a second), a change of the pod or of a ConfigMap or Secret it mounts, a probe's result do. Each wait
 * is drawn from [1, 1.5) times it (pod_workers.go's workerResyncIntervalJitterFactor), so pods started together do
 * not pass together.
 */
export const RESYNC_INTERVAL_MS = 60_000;
const RESYNC_JITTER_FACTOR = 0.5;

/** How long an exited container is left before it is restarted in the same sandbox. */
const RESTART_SETTLE_MS = 1000;

export class PodWorker {
  readonly uid: string;
  private pod: Pod;
  private status?: PodStatus;
  private readonly startTime = isoSeconds(Date.now());
  private readonly waiting = new Map<string, Waiting>();
  private readonly pullFailures = new Map<string, PullFailure>();
  private readonly probers = new Map<string, ContainerProber>();
  private readonly sandboxIP = new Map<string, string>();
  private readonly backoffReported = new Set<string>();
  private readonly nextAttempt = new Map<string, number>();
  /** Containers whose start the runtime never answered (it died meanwhile): see lost-start.ts. */
  private readonly lostStarts = new Set<string>();
  /** Of those, the ones the runtime would not remove: left to the restart policy. */
  private readonly keptLostStarts = new Set<string>();
  private volumePaths = new Map<string, VolumePath>();
  /** The last publish's runtime view, for a refresh of the status mid-pass. */
  private lastPublish?: [RuntimeContainer[], string | undefined, boolean, RuntimeContainer[]];
  private readonly mountFailures = new MountFailures();
  private readonly readiness = new ReadinessMark();
  private terminateRequest?: { grace: number; done: Array<() => void> };
  private terminated = false;
  /** Set once activeDeadlineSeconds passed: the pod is failed and stopped, for good. */
  private evicted?: { reason: string; message: string };
  private closed = false;
  private wake?: () => void;
  /** A kick came while a pass ran (the loop was not waiting): pass again at once rather than after the resync period. */
  private kicked = false;
  private passWaiters: Array<() => void> = [];
  private readonly loop: Promise<void>;
  /** When this worker first saw the pod; undefined once its start was counted. */
  private seenAt: number | undefined = performance.now();

  constructor(private readonly deps: WorkerDeps, pod: Pod) {
    this.pod = pod;
    this.uid = podKey(pod).uid;
    this.loop = this.run();
  }

  currentStatus(): PodStatus | undefined { return this.status; }
  currentPod(): Pod { return this.pod; }
  isTerminated(): boolean { return this.terminated; }

  /** Replaces the desired spec and resolves after the next full pass. */
  update(pod: Pod): Promise<void> {
    this.pod = pod;
    return this.kickAndWait();
  }

  kickAndWait(): Promise<void> {
    return new Promise((resolve) => { this.passWaiters.push(resolve); this.kick(); });
  }

  kick(): void {
    const w = this.wake;
    this.wake = undefined;
    if (w) w();
    else this.kicked = true; // during a pass: another pass follows it at once
  }

  /** Stops every container (SIGTERM, SIGKILL after grace seconds) and the sandbox; resolves when done. */
  terminate(graceSeconds: number): Promise<void> {
    if (this.terminated) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.terminateRequest) this.terminateRequest.done.push(resolve);
      else this.terminateRequest = { grace: graceSeconds, done: [resolve] };
      this.kick();
    });
  }

  /** Stops the loop and probers; leaves containers running (the next worker adopts them). */
  async close(): Promise<void> {
    this.closed = true;
    this.kick();
    await this.loop;
    for (const p of this.probers.values()) p.stop();
    this.probers.clear();
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const waiters = this.passWaiters.splice(0);
      this.kicked = false;
      let delay = this.deps.syncIntervalMs;
      const started = performance.now();
      try {
        delay = await this.pass();
      } catch (err) {
        this.deps.onError(this.uid, err);
      }
      this.deps.metrics?.podSync((performance.now() - started) / 1000);
      for (const w of waiters) w();
      if (this.closed) break;
      if (this.passWaiters.length || this.kicked) continue;
      await new Promise<void>((resolve) => {
        const wait = delay >= this.deps.resyncIntervalMs ? jitter(this.deps.resyncIntervalMs, RESYNC_JITTER_FACTOR) : Math.max(10, delay);
        const timer = setTimeout(() => { this.wake = undefined; resolve(); }, wait);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
    }
  }

  private event(type: PodEvent['type'], reason: string, message: string, path?: string): void {
    this.deps.onEvent(this.uid, { type, reason, message, ...(path ? { fieldPath: path } : {}) }, this.pod);
  }

  private grace(): number {
    return this.pod.spec?.terminationGracePeriodSeconds ?? 30;
  }

  /**
   * ms left before spec.activeDeadlineSeconds passes, counted from status.startTime (the API's, kept across agent
   * restarts; else this worker's); undefined without a deadline.
   */
  private deadlineLeftMs(): number | undefined {
    const seconds = this.pod.spec?.activeDeadlineSeconds;
    if (seconds === undefined) return undefined;
    const start = Date.parse(this.pod.status?.startTime ?? this.startTime);
    return start + seconds * 1000 - Date.now();
  }

  /** One reconciliation; returns how soon the next pass is wanted (ms). */
  private async pass(): Promise<number> {
    if (this.terminated) return this.deps.resyncIntervalMs;
    if (this.terminateRequest) {
      await this.doTerminate(this.terminateRequest.grace);
      return this.deps.syncIntervalMs;
    }
    // The kubelet's activeDeadlineHandler: past the deadline the pod fails (DeadlineExceeded) and is stopped with its
    // grace period; before it, a pass is due when it comes.
    const left = this.deadlineLeftMs();
    if (left !== undefined && left <= 0) {
      this.evicted = { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' };
      this.event('Normal', this.evicted.reason, this.evicted.message);
      // Failed at once (generateAPIPodStatus), while the containers get their grace period.
      if (this.lastPublish) this.publish(...this.lastPublish);
      await this.doTerminate(this.grace());
      return this.deps.resyncIntervalMs;
    }
    let next = left === undefined ? this.deps.resyncIntervalMs : Math.min(this.deps.resyncIntervalMs, left);
    // Volumes are set up while the runtime makes the sandbox (once RunPodSandbox is on its way); no
    // container starts before they are ready.
    let volumes: Promise<boolean> | undefined;
    const startVolumes = (): Promise<boolean> => {
      if (!volumes) {
        volumes = this.syncVolumes();
        volumes.catch(() => undefined); // handled where it is awaited, possibly after the sandbox
      }
      return volumes;
    };
    let sandbox: RunningSandbox | undefined;
    try {
      sandbox = await this.ensureSandbox(() => { void startVolumes(); });
    } catch (err) {
      await startVolumes().catch(() => undefined); // never two volume syncs of a pod at once
      throw err;
    }
    if (!(await startVolumes())) return this.deps.syncIntervalMs;
    if (sandbox) {
      let all = await listPodContainers(this.deps.cri, this.uid, sandbox.id);
      // As the kubelet's SyncPod, which sets the pod's status from the runtime's state before it acts: while a long
      // step runs (the next container's image pull), the status shows what the pass started from — the init
      // containers done (PodInitializing over), a container that exited — not the state the last pass ended with.
      if (all.length) this.publish(all, sandbox.ip, true, await this.earlierContainers(sandbox, all));
      const init = await this.syncInit(all, sandbox);
      next = Math.min(next, init.next);
      if (init.initialized) {
        for (const c of this.pod.spec?.containers ?? []) next = Math.min(next, await this.syncContainer(c, 'app', all, sandbox));
      }
      if (regularContainersDone(this.pod, all) && (await this.stopSidecars(all))) next = 0;
      // Ephemeral containers start once each, initialized or not, and are never restarted.
      for (const ec of this.pod.spec?.ephemeralContainers ?? []) next = Math.min(next, await syncEphemeral(this.deps, this.startState(), ec, all, sandbox));
      await removeOldContainers(this.deps.cri, this.deps.sandbox.logDir, podKey(this.pod), all);
      all = await listPodContainers(this.deps.cri, this.uid, sandbox.id);
      this.publish(all, sandbox.ip, true, await this.earlierContainers(sandbox, all));
      const phase = this.status?.phase;
      if ((phase === 'Succeeded' || phase === 'Failed') && (this.pod.spec?.restartPolicy ?? 'Always') !== 'Always') {
        await this.deps.cri.stopPodSandbox(sandbox.id); // a finished pod gives back its IP and pause process
        return 0;
      }
    } else {
      this.publish(await listPodContainers(this.deps.cri, this.uid), this.lastIP(), false);
    }
    return next;
  }

  /**
   * Sets up the pod's volumes (and brings their content up to date); false while one was never set up:
   * the pod waits in ContainerCreating with a FailedMount event, as the kubelet's. A running pod whose
   * volume cannot be updated keeps the last content.
   */
  private async syncVolumes(): Promise<boolean> {
    try {
      this.volumePaths = await this.deps.volumes.setUp(this.pod);
      this.mountFailures.clear();
      return true;
    } catch (err) {
      if (!(err instanceof MountError)) throw err;
      if (this.mountFailures.due(err.message)) this.event('Warning', 'FailedMount', err.message);
      if (this.deps.volumes.allSetUp(this.pod)) return true;
      if (!this.status) this.publish([], undefined, false);
      return false;
    }
  }

  private lastIP(): string | undefined {
    return [...this.sandboxIP.values()].pop();
  }

  /** The pod's ready sandbox, made if needed; `creating` is called once RunPodSandbox has been sent. */
  private ensureSandbox(creating?: () => void): Promise<RunningSandbox | undefined> {
    return ensureSandbox(this.deps, this.pod, { sandboxIP: this.sandboxIP, nextAttempt: this.nextAttempt }, {
      creating,
      beforeCreate: () => { if (!this.status) this.publish([], undefined, false); }, // Pending / ContainerCreating while the sandbox starts
      event: this.event.bind(this),
    });
  }

  /**
   * Init containers in order (computeInitContainerActions): a regular one must succeed before the next
   * starts, a sidecar only start (and pass its startup probe); sidecars are kept running (restarted
   * whatever the pod's restartPolicy) until the pod completes. `initialized` lets the app containers run.
   */
  private async syncInit(all: RuntimeContainer[], sandbox: RunningSandbox): Promise<{ initialized: boolean; next: number }> {
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    const initializedBefore = anyRegularStarted(all);
    const completing = regularContainersDone(this.pod, all);
    let next = this.deps.resyncIntervalMs;
    for (const c of this.pod.spec?.initContainers ?? []) {
      const [cur] = instances(all, c.name, 'init');
      if (isSidecar(c)) {
        if (completing) continue;
        next = Math.min(next, await this.syncContainer(c, 'init', all, sandbox));
        if (!initializedBefore && !this.started(c, cur)) return { initialized: false, next };
        continue;
      }
      if (initializedBefore) continue;
      if (cur && cur.state === 'CONTAINER_EXITED' && cur.exitCode === 0) continue;
      if (cur && cur.state === 'CONTAINER_EXITED' && policy === 'Never') return { initialized: false, next };
      next = Math.min(next, await this.syncContainer(c, 'init', all, sandbox));
      return { initialized: false, next };
    }
    return { initialized: true, next };
  }

  /** Running and past its startup probe, if it has one (the status' `started`). */
  private started(c: Container, cur: RuntimeContainer | undefined): boolean {
    if (cur?.state !== 'CONTAINER_RUNNING') return false;
    return !c.startupProbe || this.probers.get(cur.id)?.result('startup') === 'success';
  }

  /** A completed pod's sidecars are stopped (last first), not restarted. */
  private async stopSidecars(all: RuntimeContainer[]): Promise<boolean> {
    const live = all.filter((c) => c.kind === 'init' && c.state === 'CONTAINER_RUNNING' && isSidecar(this.initSpec(c.name)));
    if (live.length === 0) return false;
    for (const c of live) this.stopProber(c.id);
    await stopContainers(this.deps.cri, live, this.grace(), this.stopReport(), this.stopPlan());
    return true;
  }

  private initSpec(name: string): Container | undefined {
    return this.pod.spec?.initContainers?.find((c) => c.name === name);
  }

  private shouldRestart(kind: Kind, exitCode: number, c: Container): boolean {
    if (kind === 'init') return isSidecar(c) || ((this.pod.spec?.restartPolicy ?? 'Always') !== 'Never' && exitCode !== 0);
    return appRestarts(this.pod, exitCode);
  }

  private async syncContainer(c: Container, kind: Kind, all: RuntimeContainer[], sandbox: RunningSandbox): Promise<number> {
    const key = `${kind}/${c.name}`;
    const backoffKey = `${this.uid}/${key}`;
    const [cur] = instances(all, c.name, kind);
    if (!cur) return this.start(c, kind, this.nextAttempt.get(key) ?? 0, sandbox);
    if (!this.keptLostStarts.has(cur.id) && redoLostStart(cur, this.lostStarts)) return this.redoStart(c, kind, cur, sandbox);
    this.lostStarts.delete(cur.id);
    if (cur.state === 'CONTAINER_RUNNING') {
      this.waiting.delete(key);
      const prober = this.ensureProber(c, cur, sandbox.ip);
      const livenessFailed = prober?.result('liveness') === 'failure' || prober?.result('startup') === 'failure';
      if (cur.hash && definitionChanged(c, cur.hash)) {
        this.event('Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`, fieldPath(kind, c.name));
        await this.kill(cur, this.grace());
        return this.deps.syncIntervalMs;
      }
      if (livenessFailed) {
        const which = prober?.result('startup') === 'failure' ? 'startup' : 'liveness';
        const probe = which === 'startup' ? c.startupProbe : c.livenessProbe;
        this.event('Normal', 'Killing', `Container ${c.name} failed ${which} probe, will be restarted`, fieldPath(kind, c.name));
        await this.kill(cur, probe?.terminationGracePeriodSeconds ?? this.grace());
        return this.deps.syncIntervalMs;
      }
      return this.deps.resyncIntervalMs;
    }
    if (cur.state === 'CONTAINER_CREATED') {
      await this.deps.cri.startContainer(cur.id).catch((err: unknown) => { if (answerLost(err)) this.lostStarts.add(cur.id); });
      return 0;
    }
    this.stopProber(cur.id);
    // Unknown to the runtime (containerd died while making it): killed first, then restarted, as the kubelet does.
    if (cur.state === 'CONTAINER_UNKNOWN') await this.deps.cri.stopContainer(cur.id, 0).catch(() => undefined);
    if (!this.shouldRestart(kind, cur.exitCode, c)) { this.waiting.delete(key); return this.deps.resyncIntervalMs; }
    // A container that never finished (unknown) counts from its creation: "now" on every pass would settle forever.
    const finished = cur.finishedAt || cur.createdAt || Date.now();
    // Let the runtime settle before restarting in place, as the kubelet's once-a-second relist does: a
    // container killed because its sandbox is being stopped restarts once, in the new sandbox, rather
    // than first in the dying one (which counted a second restart).
    const settling = finished + RESTART_SETTLE_MS - Date.now();
    if (settling > 0) return settling;
    if (this.deps.backoff.inBackoffSince(backoffKey, finished)) {
      const delay = this.deps.backoff.delayMs(backoffKey);
      this.waiting.set(key, {
        reason: 'CrashLoopBackOff',
        message: `back-off ${formatDuration(delay)} restarting failed container=${c.name} pod=${podKey(this.pod).name}_${podKey(this.pod).namespace}(${this.uid})`,
      });
      if (this.waiting.get(key)?.reason !== 'CrashLoopBackOff' || !this.backoffReported.has(cur.id)) {
        this.backoffReported.add(cur.id);
        this.event('Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podKey(this.pod).name}_${podKey(this.pod).namespace}(${this.uid})`, fieldPath(kind, c.name));
      }
      return this.deps.backoff.remainingMs(backoffKey, finished) + 5;
    }
    this.deps.backoff.next(backoffKey);
    return this.start(c, kind, cur.attempt + 1, sandbox);
  }

  /**
   * A container whose start was lost and that never ran: removed and made again as the same attempt (no restart
   * counted). One the runtime will not remove (its task outlived containerd) follows the restart policy instead.
   */
  private async redoStart(c: Container, kind: Kind, cur: RuntimeContainer, sandbox: RunningSandbox): Promise<number> {
    try {
      await this.deps.cri.removeContainer(cur.id);
    } catch (err) {
      if (!answerLost(err)) { this.lostStarts.delete(cur.id); this.keptLostStarts.add(cur.id); }
      this.deps.onError(this.uid, new Error(`removing container ${c.name} (${cur.id.slice(0, 12)}) whose start was lost: ${err instanceof Error ? err.message : String(err)}`));
      return this.deps.syncIntervalMs;
    }
    this.lostStarts.delete(cur.id);
    this.lostStarts.delete(lostCreateKey(kind, c.name, cur.attempt));
    return this.start(c, kind, cur.attempt, sandbox);
  }

  /**
   * The regular and init containers of the pod's earlier sandbox (pod-sandbox.ts keeps it), for the last state of those
   * not restarted here since (init containers run again in a new sandbox: their last state is the earlier run). Once
   * every regular one has a previous instance in this sandbox, it is removed, as the kubelet's garbage collection
   * removes a dead sandbox whose containers are gone.
   */
  private async earlierContainers(sandbox: RunningSandbox, all: RuntimeContainer[]): Promise<RuntimeContainer[]> {
    if (!sandbox.earlier?.length) return [];
    const earlier: RuntimeContainer[] = [];
    for (const id of sandbox.earlier) earlier.push(...(await listPodContainers(this.deps.cri, this.uid, id)).filter((c) => c.kind === 'app' || c.kind === 'init'));
    if (earlier.some((c) => c.kind === 'app' && instances(all, c.name, 'app').length < 2)) return earlier;
    for (const id of sandbox.earlier) await this.deps.cri.removePodSandbox(id).catch(() => undefined);
    return [];
  }

  private startState(): StartState {
    return {
      pod: this.pod, uid: this.uid, waiting: this.waiting, pullFailures: this.pullFailures, volumes: this.volumePaths, event: this.event.bind(this),
      refresh: () => { if (this.lastPublish) this.publish(...this.lastPublish); },
      started: () => this.readiness.containerStarted(),
      lostStarts: this.lostStarts,
    };
  }

  private start(c: Container, kind: Kind, attempt: number, sandbox: RunningSandbox): Promise<number> {
    return startContainer(this.deps, this.startState(), c, kind, attempt, sandbox);
  }

  private ensureProber(c: Container, cur: RuntimeContainer, podIP: string): ContainerProber | undefined {
    const existing = this.probers.get(cur.id);
    if (existing) return existing;
    if (!c.livenessProbe && !c.readinessProbe && !c.startupProbe) return undefined;
    const prober = new ContainerProber({ podIP, containerId: cur.id, container: c, cri: this.deps.cri },
      { liveness: c.livenessProbe, readiness: c.readinessProbe, startup: c.startupProbe }, () => this.kick(),
      (probe, message, errored) => this.event('Warning', 'Unhealthy', `${probeName(probe)} probe ${errored ? 'errored' : 'failed'}: ${message}`, fieldPath(cur.kind, c.name)),
      (probeType, ok, seconds) => this.deps.metrics?.probe({
        probeType, result: ok ? 'successful' : 'failed', container: c.name, pod: this.pod.metadata?.name ?? '', namespace: this.pod.metadata?.namespace ?? '',
        podUid: this.uid,
      }, seconds),
      (kind) => (kind === 'readiness' ? this.deps.probeFaults?.forcedReadiness(this.uid, c.name) : undefined));
    this.probers.set(cur.id, prober);
    return prober;
  }

  private stopProber(id: string): void {
    this.probers.get(id)?.stop();
    this.probers.delete(id);
  }

  /** Stops one container as the kubelet's killContainer: its preStop hook, then SIGTERM with the time left. */
  private async kill(cur: RuntimeContainer, graceSeconds: number): Promise<void> {
    this.stopProber(cur.id);
    const deadline = Date.now() + graceSeconds * 1000;
    await this.preStop(cur, graceSeconds);
    await this.deps.cri.stopContainer(cur.id, Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
  }

  private async preStop(cur: RuntimeContainer, graceSeconds: number): Promise<void> {
    const list = cur.kind === 'init' ? this.pod.spec?.initContainers : cur.kind === 'app' ? this.pod.spec?.containers : undefined;
    const container = list?.find((c) => c.name === cur.name);
    if (!container || cur.state !== 'CONTAINER_RUNNING') return;
    const target = { cri: this.deps.cri, containerId: cur.id, podIP: this.sandboxIP.get(cur.sandboxId) ?? this.lastIP() ?? '', container, pod: this.pod };
    await runPreStop(target, graceSeconds, () => this.event('Warning', 'FailedPreStopHook', 'PreStopHook failed', fieldPath(cur.kind, cur.name)));
  }

  private publish(all: RuntimeContainer[], podIP: string | undefined, sandboxReady: boolean, earlier: RuntimeContainer[] = []): void {
    this.lastPublish = [all, podIP, sandboxReady, earlier];
    const status = buildPodStatus({
      pod: this.pod, podIP: podIP || undefined, hostIP: this.deps.hostIP, sandboxReady, startTime: this.startTime,
      containers: all, earlier,
      views: containerViews(this.pod, all, { probers: this.probers, waiting: this.waiting, terminated: this.terminated, terminating: !!this.terminateRequest }),
      terminated: this.terminated, previous: this.status, evicted: this.evicted,
    });
    if (JSON.stringify(status) === JSON.stringify(this.status)) return;
    this.status = status;
    if (status.phase === 'Running' && this.seenAt !== undefined) {
      this.deps.metrics?.podStarted((performance.now() - this.seenAt) / 1000);
      this.seenAt = undefined;
    }
    this.readiness.published(this.pod, status);
    this.deps.onStatus(this.uid, status, this.pod);
  }

  private stopReport(): StopReport {
    return { event: (ev) => this.deps.onEvent(this.uid, ev, this.pod), error: (err) => this.deps.onError(this.uid, err) };
  }

  private stopPlan(): StopPlan {
    return { sidecars: sidecarNames(this.pod), preStop: (c, grace) => this.preStop(c, grace) };
  }

  private async doTerminate(graceSeconds: number): Promise<void> {
    for (const p of this.probers.values()) p.stop();
    this.probers.clear();
    await tracedStep(STEP.terminate, this.pod, { 'flotilla.grace_seconds': graceSeconds }, () => stopPod(this.deps.cri, this.uid, graceSeconds, this.stopReport(), this.stopPlan()));
    this.terminated = true;
    this.waiting.clear();
    this.publish(await listPodContainers(this.deps.cri, this.uid), this.lastIP(), false);
    const done = this.terminateRequest?.done ?? [];
    this.terminateRequest = undefined;
    for (const d of done) d();
  }
}
