// Runs one container's liveness/readiness/startup probes on their periods with Kubernetes thresholds.
import type { Probe } from 'kubernetes-types/core/v1';
import { runProbe, type ProbeOutcome, type ProbeTarget } from './probe-check';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'unknown' | 'success' | 'failure';

interface Worker { kind: ProbeKind; probe: Probe; result: ProbeResult; successes: number; failures: number; timer?: NodeJS.Timeout; message: string }

export class ContainerProber {
  private readonly workers: Worker[] = [];
  private stopped = false;

  /** onChange fires whenever a probe's thresholded result changes. */
  /**
   * onFailure fires for every failed attempt (the kubelet's Unhealthy event); onAttempt for every attempt with how long it took
   * (prober_probe_total, prober_probe_duration_seconds).
   */
  constructor(private readonly target: ProbeTarget, probes: Partial<Record<ProbeKind, Probe>>,
    private readonly onChange: (kind: ProbeKind, result: ProbeResult, message: string) => void,
    private readonly onFailure: (kind: ProbeKind, message: string, errored: boolean) => void = () => undefined,
    private readonly onAttempt: (kind: ProbeKind, ok: boolean, seconds: number) => void = () => undefined,
    /** A forced failure's message for the probe (a one-click failure, probe-faults.ts), or undefined: the probe runs. */
    private readonly forced: (kind: ProbeKind) => string | undefined = () => undefined) {
    for (const kind of ['startup', 'liveness', 'readiness'] as const) {
      const probe = probes[kind];
      if (probe) this.workers.push({ kind, probe, result: 'unknown', successes: 0, failures: 0, message: '' });
    }
    for (const w of this.workers) w.timer = setTimeout(() => void this.tick(w), (w.probe.initialDelaySeconds ?? 0) * 1000);
  }

  has(kind: ProbeKind): boolean {
    return this.workers.some((w) => w.kind === kind);
  }

  result(kind: ProbeKind): ProbeResult {
    return this.workers.find((w) => w.kind === kind)?.result ?? 'unknown';
  }

  message(kind: ProbeKind): string {
    return this.workers.find((w) => w.kind === kind)?.message ?? '';
  }

  private startupDone(): boolean {
    const s = this.workers.find((w) => w.kind === 'startup');
    return !s || s.result === 'success';
  }

  private async tick(w: Worker): Promise<void> {
    if (this.stopped) return;
    // Liveness and readiness wait for a startup probe to succeed; a succeeded startup probe stops probing.
    const active = w.kind === 'startup' ? w.result !== 'success' : this.startupDone();
    if (active) {
      const forced = this.forced(w.kind);
      const started = performance.now();
      const outcome: ProbeOutcome = forced !== undefined ? { ok: false, message: forced } : await runProbe(w.probe, this.target);
      if (this.stopped) return;
      const before = w.result;
      if (outcome.errored) {
        // The kubelet's worker throws an errored probe's result away: reported, neither counted nor measured.
        this.onFailure(w.kind, outcome.message, true);
      } else if (outcome.ok) {
        this.onAttempt(w.kind, true, (performance.now() - started) / 1000);
        w.failures = 0;
        w.successes++;
        if (w.successes >= (w.kind === 'readiness' ? (w.probe.successThreshold ?? 1) : 1)) w.result = 'success';
      } else {
        this.onAttempt(w.kind, false, (performance.now() - started) / 1000);
        w.successes = 0;
        w.failures++;
        w.message = outcome.message;
        this.onFailure(w.kind, outcome.message, false);
        if (w.failures >= (w.probe.failureThreshold ?? 3)) w.result = 'failure';
      }
      if (w.result !== before) this.onChange(w.kind, w.result, w.message);
      // A failed liveness/startup result is acted on once; counting restarts for the next container instance.
      if (w.result === 'failure' && w.kind !== 'readiness') return;
    }
    w.timer = setTimeout(() => void this.tick(w), (w.probe.periodSeconds ?? 10) * 1000);
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.workers) if (w.timer) clearTimeout(w.timer);
  }
}
