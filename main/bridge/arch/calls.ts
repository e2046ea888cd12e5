// The architecture view's bridge calls (ArchitectureCalls in contract.ts): one snapshot, or a
// subscription that samples every interval while the view is open (each subscription its own
// sampler, so rates and activity are per viewer).
import type { ArchitectureCalls, BridgeEvents } from '../contract';
import { BadRequest } from '../kinds';
import { toBridgeError } from '../errors';
import { ArchSampler, type ArchSources } from './sampler';

export const ARCH_INTERVAL_MS = 2000;
const MIN_INTERVAL_MS = 500;

export interface ArchSession {
  sources: ArchSources;
  emit: (name: 'architecture', payload: BridgeEvents['architecture']) => void;
  nextId: (prefix: string) => string;
  track: (id: string, dispose: () => void) => void;
  untrack: (id: string) => void;
}

type Impl = { [K in keyof ArchitectureCalls]: (req: ArchitectureCalls[K]['req']) => Promise<ArchitectureCalls[K]['res']> };

function intervalOf(req: unknown): number {
  if (req === null || req === undefined) return ARCH_INTERVAL_MS;
  if (typeof req !== 'object') throw new BadRequest('the request must be an object or null');
  const v = (req as { intervalMs?: unknown }).intervalMs;
  if (v === undefined) return ARCH_INTERVAL_MS;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < MIN_INTERVAL_MS) throw new BadRequest(`intervalMs must be a number of at least ${MIN_INTERVAL_MS}`);
  return v;
}

/** Samples every intervalMs (never two samples at once); returns the disposer. */
function startSampling(s: ArchSession, subscriptionId: string, intervalMs: number): () => void {
  const sampler = new ArchSampler(s.sources);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async (): Promise<void> => {
    try {
      const snapshot = await sampler.sample();
      if (!stopped) s.emit('architecture', { subscriptionId, snapshot });
    } catch (e) {
      if (!stopped) s.emit('architecture', { subscriptionId, error: toBridgeError(e) });
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

export function architectureCalls(s: ArchSession): Impl {
  return {
    architectureSnapshot: async () => new ArchSampler(s.sources).sample(),
    subscribeArchitecture: async (req) => {
      const intervalMs = intervalOf(req);
      const subscriptionId = s.nextId('architecture');
      s.track(subscriptionId, startSampling(s, subscriptionId, intervalMs));
      return { subscriptionId };
    },
    unsubscribeArchitecture: async (req) => {
      const id = req && typeof req === 'object' && typeof req.subscriptionId === 'string' ? req.subscriptionId : '';
      if (!id) throw new BadRequest('subscriptionId must be a non-empty string');
      s.untrack(id);
      return null;
    },
  };
}
