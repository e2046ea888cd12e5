// The kubelet's sync loop: watches the pods bound to this node and drives the PodManager. New and
// changed pods are synced; pods with a deletionTimestamp are stopped within their grace period and
// then confirmed deleted (DELETE, gracePeriodSeconds 0, uid precondition); pods that vanish from
// the API (force-deleted, or deleted while the agent was away) are stopped and cleaned up. At start,
// pods already running in the runtime are adopted, never restarted.
import type { Pod } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import { isConflict, isNotFound } from '../../../main/client/types';
import type { Informer } from '../../../main/client/cache/informer';
import { EventRecorder } from '../../../main/client/record/recorder';
import { referenceOf } from '../../../main/client/record/reference';
import { R } from '../../../main/client/refs';
import type { PodManager } from '../pods/manager';
import { pause } from '../node/time';
import { agentInformer } from './informers';
import { PodStatusWriter } from './status-writer';
import { foreignConditions } from '../pods/pod-conditions';
import { admitResources } from '../pods/admission';
import { admitSysctls } from '../pods/sysctls';
import { qosClass } from '../../../main/api/pod-qos';

export interface PodSyncOptions {
  client: ApiClient;
  pods: PodManager;
  nodeName: string;
  log: (line: string) => void;
  backoffMs?: number;
  /** Record the runtime's pod events as core/v1 Events (default true). */
  events?: boolean;
  /** False while the pod network is not configured: pods that need it wait (hostNetwork pods and adopted pods do not). */
  networkReady?: () => boolean;
  /** The node's allocatable (status.allocatable): a new pod that does not fit beside the admitted ones is rejected. */
  allocatable?: () => Record<string, string> | undefined;
}

function uidOf(p: Pod): string {
  return p.metadata?.uid ?? '';
}

function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** What the runtime cares about: spec, labels, annotations, deletion. Status-only updates (ours) are not a reason to sync. */
function desired(p: Pod): string {
  const m = p.metadata ?? {};
  return JSON.stringify([m.uid, p.spec, m.labels, m.annotations, m.deletionTimestamp, m.deletionGracePeriodSeconds]);
}

export class PodSync {
  private readonly informer: Informer<Pod>;
  private readonly writer: PodStatusWriter;
  private readonly terminating = new Map<string, Promise<void>>();
  private readonly removing = new Map<string, Promise<void>>();
  private readonly disposers: Array<() => void> = [];
  private adopted = new Set<string>();
  private readonly abort = new AbortController();
  /** New pods waiting for the pod network, by uid. */
  private readonly held = new Map<string, Pod>();
  /** Pods refused at admission (their Failed status may not be back from the API yet). */
  private readonly rejected = new Set<string>();
  private recorder?: EventRecorder;

  constructor(private readonly o: PodSyncOptions) {
    // A kubelet watches only the pods bound to its node.
    this.informer = agentInformer<Pod>(o.client, R.pods, {
      fieldSelector: `spec.nodeName=${o.nodeName}`, backoffMs: o.backoffMs,
      onError: (err) => o.log(`pods watch: ${err instanceof Error ? err.message : String(err)}`),
    });
    this.informer.addHandler({
      add: (pod) => this.changed(pod, undefined),
      update: (old, pod) => this.changed(pod, old),
      delete: (pod) => this.gone(uidOf(pod)),
    });
    this.writer = new PodStatusWriter({
      client: o.client, retryMs: o.backoffMs,
      current: (ns, name) => this.informer.getByName(ns, name),
      onError: (err) => o.log(`pod status: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  /** Adopts what the runtime runs, then lists and watches; resolves after the first list was handled. Returns the disposer. */
  async start(): Promise<() => void> {
    this.adopted = new Set((await this.o.pods.adopt()).map((p) => p.uid));
    if (this.abort.signal.aborted) return () => this.stop();
    this.disposers.push(this.o.pods.on('status', (uid, status, pod) => this.writer.set(uid, pod, status)));
    this.disposers.push(this.o.pods.on('error', (uid, err) => this.o.log(`pod ${uid}: ${err instanceof Error ? err.message : String(err)}`)));
    if (this.o.events !== false) {
      // As the kubelet's recorder: source kubelet on this node, aggregated and counted as client-go does.
      const recorder = new EventRecorder(this.o.client, { component: 'kubelet', host: this.o.nodeName }, { onError: (err) => this.o.log(`event: ${String(err)}`) });
      this.recorder = recorder;
      this.disposers.push(this.o.pods.on('event', (_uid, ev, pod) => recorder.event(referenceOf({ ...pod, apiVersion: 'v1', kind: 'Pod' }, ev.fieldPath), ev.type, ev.reason, ev.message)));
    }
    this.disposers.push(this.informer.start());
    const stopped = new Promise<void>((r) => this.abort.signal.addEventListener('abort', () => r(), { once: true }));
    await Promise.race([this.informer.hasSynced.then(() => this.onSynced(this.informer.list())), stopped]);
    return () => this.stop();
  }

  /** Stops watching and writing (also during start); pods keep running. */
  stop(): void {
    this.abort.abort();
    for (const d of this.disposers.splice(0)) d();
    this.writer.stop();
  }

  /** Waits for work in progress (terminations, removals, status writes). */
  async idle(): Promise<void> {
    await Promise.all([...this.terminating.values(), ...this.removing.values()]);
    await this.writer.flush();
  }

  private onSynced(items: Pod[]): void {
    // Once, after the first list: runtime pods (and volume directories) the API no longer has were deleted while we were away.
    const keep = new Set(items.map(uidOf));
    this.adopted.clear();
    this.o.pods.cleanup(keep).then((removed) => {
      if (removed.length) this.o.log(`removed ${removed.length} pod(s) deleted while the agent was away`);
    }, (err: unknown) => this.o.log(`cleanup: ${String(err)}`));
  }

  private changed(pod: Pod, old: Pod | undefined): void {
    const uid = uidOf(pod);
    if (old && uidOf(old) !== uid) this.gone(uidOf(old)); // deleted and recreated under the same name
    if (pod.spec?.nodeName !== this.o.nodeName) return;
    if (pod.metadata?.deletionTimestamp) { this.terminate(pod); return; }
    if (old && uidOf(old) === uid && desired(old) === desired(pod)) {
      // A readiness gate's condition changed in the API: Ready is evaluated again with it.
      if (pod.spec?.readinessGates?.length && JSON.stringify(foreignConditions(old)) !== JSON.stringify(foreignConditions(pod))) this.writer.refresh(uid);
      return;
    }
    const known = this.hasWorker(uid) || this.adopted.has(uid);
    if (isTerminal(pod) && !known) return; // finished before we knew it
    if (!known && (this.rejected.has(uid) || this.reject(pod))) return;
    if (!known && !pod.spec?.hostNetwork && this.o.networkReady && !this.o.networkReady()) {
      this.held.set(uid, pod);
      return;
    }
    this.held.delete(uid);
    this.o.pods.sync(pod).catch((err: unknown) => this.o.log(`sync ${pod.metadata?.name}: ${String(err)}`));
  }

  /**
   * HandlePodAdditions' admission: a new pod that does not fit beside the pods this node runs is rejected (rejectPod:
   * a Warning event, and the status Failed with the reason and "Pod was rejected: <message>"); true when it was.
   */
  private reject(pod: Pod): boolean {
    const uid = uidOf(pod);
    const running = new Set(this.o.pods.uids());
    const admitted = this.informer.list().filter((p) => uidOf(p) !== uid && running.has(uidOf(p)) && !isTerminal(p));
    // The kubelet's admit handlers in their order: the sysctl allowlist before the resources' predicate.
    const r = admitSysctls(pod) ?? admitResources(pod, admitted, this.o.allocatable?.());
    if (!r) return false;
    this.rejected.add(uid);
    this.recorder?.event(referenceOf({ ...pod, apiVersion: 'v1', kind: 'Pod' }), 'Warning', r.reason, r.message);
    this.writer.set(uid, pod, { phase: 'Failed', reason: r.reason, message: `Pod was rejected: ${r.message}`, qosClass: qosClass(pod) });
    return true;
  }

  private hasWorker(uid: string): boolean {
    return this.o.pods.uids().includes(uid);
  }

  /** The pod network is configured: start the pods that waited for it. */
  networkReady(): void {
    for (const [uid, held] of [...this.held]) {
      this.held.delete(uid);
      const pod = this.informer.getByName(held.metadata?.namespace, held.metadata?.name ?? '');
      if (pod && uidOf(pod) === uid) this.changed(pod, undefined);
    }
  }

  private terminate(pod: Pod): void {
    const uid = uidOf(pod);
    this.held.delete(uid);
    if (this.terminating.has(uid) || this.removing.has(uid)) return;
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    const run = (async () => {
      const known = this.hasWorker(uid);
      const running = known || (await this.o.pods.adopt()).some((p) => p.uid === uid);
      if (running) {
        if (!known) await this.o.pods.sync(pod);
        await this.o.pods.terminate(uid, grace);
        await this.writer.flush(uid);
      }
      await this.confirmDeleted(pod);
    })().catch((err: unknown) => this.o.log(`terminate ${pod.metadata?.name}: ${String(err)}`))
      .finally(() => this.terminating.delete(uid));
    this.terminating.set(uid, run);
  }

  /** DELETE with grace 0 and the uid as precondition; retried while the API is unreachable (nothing else would retry it). */
  private async confirmDeleted(pod: Pod): Promise<void> {
    for (let attempt = 0; !this.abort.signal.aborted; attempt++) {
      try {
        await this.o.client.delete(R.pods, pod.metadata?.name ?? '', {
          namespace: pod.metadata?.namespace, gracePeriodSeconds: 0, preconditions: { uid: uidOf(pod) },
        });
        return;
      } catch (err) {
        if (isNotFound(err) || isConflict(err)) return; // gone, or a new pod under that name
        // Already gone (a status write finalizes a pod deleted with grace 0): the API answers a node's
        // DELETE of a pod it no longer has with 403, not 404; gone() waits for this loop before it
        // removes the pod from the runtime, so it must end.
        if (await this.goneFromApi(pod)) return;
        if (attempt % 10 === 0) this.o.log(`confirming deletion of ${pod.metadata?.name}: ${err instanceof Error ? err.message : String(err)}`);
        await pause(Math.min(10_000, (this.o.backoffMs ?? 200) * 2 ** Math.min(attempt, 10)), this.abort.signal);
      }
    }
  }

  /** The pod (this uid) is no longer in the API; false when that cannot be told (unreachable). */
  private async goneFromApi(pod: Pod): Promise<boolean> {
    try {
      const live = await this.o.client.get<Pod>(R.pods, pod.metadata?.name ?? '', pod.metadata?.namespace);
      return uidOf(live) !== uidOf(pod);
    } catch (err) {
      return isNotFound(err);
    }
  }

  private gone(uid: string): void {
    this.held.delete(uid);
    this.rejected.delete(uid);
    if (!uid || this.removing.has(uid)) return;
    const run = (async () => {
      await this.terminating.get(uid);
      await this.o.pods.remove(uid);
      this.writer.forget(uid);
    })().catch((err: unknown) => this.o.log(`remove ${uid}: ${String(err)}`))
      .finally(() => this.removing.delete(uid));
    this.removing.set(uid, run);
  }
}
