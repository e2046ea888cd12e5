// The Journey tab's arithmetic: each step's offset from the journey's first step and its bar on the
// timeline, durations as people read them, and the components' names as the textbook calls them.
import type { JourneyStep } from '../../../main/api/journey';

export const COMPONENT_NAMES: Record<string, string> = {
  apiserver: 'API server', scheduler: 'Scheduler', kubelet: 'Kubelet', 'endpointslice-controller': 'EndpointSlice controller',
  'kube-proxy': 'kube-proxy', handoff: 'Hand-off',
};

export function componentName(c: string): string {
  return COMPONENT_NAMES[c] ?? c;
}

/** 0.4 ms, 12 ms, 1.24 s, 1 min 5 s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export interface TimelineRow {
  step: JourneyStep;
  /** From the first step's start (ms). */
  offset: number;
  duration: number;
  /** The bar, as percentages of the part's span. */
  left: number;
  width: number;
}

/** The rows of one part (start or deletion), on a timeline from its first start to its last end. */
export function timelineRows(steps: readonly JourneyStep[]): TimelineRow[] {
  if (!steps.length) return [];
  const t0 = Math.min(...steps.map((s) => s.start));
  const t1 = Math.max(...steps.map((s) => s.end));
  const span = Math.max(1, t1 - t0);
  return steps.map((step) => {
    const offset = step.start - t0;
    const duration = Math.max(0, step.end - step.start);
    return { step, offset, duration, left: (offset / span) * 100, width: Math.max(0.5, (duration / span) * 100) };
  });
}
