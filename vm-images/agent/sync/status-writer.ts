// Writes pod statuses through pods/<name>/status: the latest status per pod, coalesced, one write
// at a time, retried with backoff while the API is unreachable, skipped when unchanged. The pod's
// original startTime is kept (an adopted pod's worker starts a new clock).
import type { Pod, PodStatus } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import { isNotFound } from '../../../main/client/types';
import { R } from '../../../main/client/refs';
import { pause } from '../node/time';
import { sameMilestone, statusReported } from '../pods/journey-spans';
import { withConditionsOf } from '../pods/pod-conditions';
import { isoSeconds } from '../pods/status';

interface Pending { pod: Pod; status: PodStatus; since: number }

export interface StatusWriterOptions {
  client: ApiClient;
  /** The pod as the API last showed it (from the watch), for startTime and uid checks. */
  current: (namespace: string, name: string) => Pod | undefined;
  onError?: (err: unknown) => void;
  retryMs?: number;
}

export class PodStatusWriter {
  private readonly pending = new Map<string, Pending>();
  private readonly written = new Map<string, string>();
  /** The last status written of each pod, for the journey's status steps. */
  private readonly lastWritten = new Map<string, PodStatus>();
  /** The agent's own status last written of each pod (before the merge with the API's conditions), for refresh(). */
  private readonly lastOwn = new Map<string, { pod: Pod; status: PodStatus }>();
  private readonly idleWaiters: Array<() => void> = [];
  private running = false;
  /** The pod whose status is being written (or waited on after a failed write). */
  private inFlight: string | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly o: StatusWriterOptions) {}

  set(uid: string, pod: Pod, status: PodStatus): void {
    if (this.abort.signal.aborted) return;
    // The journey's status step starts when this phase and readiness were first published (a status still waiting with the same ones keeps its time).
    const waiting = this.pending.get(uid);
    const same = waiting && sameMilestone(waiting.status, status);
    this.pending.set(uid, { pod, status, since: same ? waiting.since : Date.now() });
    if (!this.running) void this.drain();
  }

  /** Writes the pod's last status again, merged anew (its readiness gates' conditions changed in the API). */
  refresh(uid: string): void {
    const last = this.lastOwn.get(uid);
    if (last && !this.pending.has(uid)) this.set(uid, last.pod, last.status);
  }

  forget(uid: string): void {
    this.pending.delete(uid);
    this.written.delete(uid);
    this.lastWritten.delete(uid);
    this.lastOwn.delete(uid);
  }

  /** Resolves when nothing is waiting to be written, or being written, for `uid` (or for anyone). */
  async flush(uid?: string): Promise<void> {
    const busy = (): boolean => (uid ? this.pending.has(uid) || this.inFlight === uid : this.pending.size > 0 || this.inFlight !== undefined);
    while (!this.abort.signal.aborted && busy()) {
      await new Promise<void>((r) => this.idleWaiters.push(r));
    }
  }

  stop(): void {
    this.abort.abort();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async drain(): Promise<void> {
    this.running = true;
    let failures = 0;
    while (this.pending.size > 0 && !this.abort.signal.aborted) {
      const [uid, item] = this.pending.entries().next().value as [string, Pending];
      this.pending.delete(uid);
      this.inFlight = uid;
      try {
        await this.write(uid, item);
        failures = 0;
      } catch (err) {
        if (isNotFound(err)) { this.written.delete(uid); continue; }
        this.o.onError?.(err);
        if (!this.pending.has(uid)) this.pending.set(uid, item);
        failures++;
        await pause(Math.min(10_000, (this.o.retryMs ?? 200) * 2 ** Math.min(failures, 8)), this.abort.signal);
      }
      this.inFlight = undefined;
      for (const w of this.idleWaiters.splice(0)) w();
    }
    this.running = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async write(uid: string, { pod, status, since }: Pending): Promise<void> {
    const name = pod.metadata?.name ?? '';
    const namespace = pod.metadata?.namespace ?? 'default';
    const live = this.o.current(namespace, name);
    // Gone from the API (deleted, or recreated under the same name): nothing of ours to write.
    if (!live || live.metadata?.uid !== uid) return;
    // Conditions the kubelet does not own stay as the API has them (DisruptionTarget, readiness gates' conditions).
    const own: PodStatus = { ...status, ...(live?.status?.startTime ? { startTime: live.status.startTime } : {}) };
    const out = withConditionsOf(live, pod, own, isoSeconds(Date.now()));
    const text = JSON.stringify(out);
    this.lastOwn.set(uid, { pod, status });
    if (this.written.get(uid) === text) return;
    await this.o.client.update<Pod>(R.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid }, status: out }, { subresource: 'status', fieldManager: 'flotilla-agent' });
    this.written.set(uid, text);
    statusReported(pod, out, this.lastWritten.get(uid), since);
    this.lastWritten.set(uid, out);
  }
}
