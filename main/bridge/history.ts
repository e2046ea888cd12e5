// Time travel's bridge calls (contract.ts "Time travel" lines): the store's history window from this Flotilla's
// store, and the cluster as it was at a revision through the API alone — lists at resourceVersionMatch=Exact, as
// any client may make them — so nothing is written and the live cluster is untouched.
import type { Core } from '../core';
import type { ApiClient, ResourceRef } from '../client/types';
import type { KObject } from '../api/types';
import { compactionIntervalProblem } from '../api/compaction';
import type { BridgeCalls, HistoryWindow } from './contract';
import { BridgeFailure } from './errors';
import { BadRequest, KIND_RESOURCES, resourceOfKind } from './kinds';
import { slim } from './slim';

/** What the calls need of this Flotilla's store and compactor (absent for another cluster). */
export interface HistoryDeps {
  revision(): number;
  compactRevision(): number;
  revisionTime(revision: number): number | undefined;
  compaction(): { intervalMs: number; nextAt?: number; last?: { at: number; revision: number } };
  setIntervalMs(ms: number): void;
}

/** The core's store and compactor as the calls use them; undefined when the core keeps a revision window instead. */
export function historyDepsOf(core: Core): HistoryDeps | undefined {
  const { store, compactor } = core;
  if (!compactor) return undefined;
  return {
    revision: () => store.revision,
    compactRevision: () => store.compactRevision,
    revisionTime: (rev) => store.revisionTime(rev),
    compaction: () => ({ intervalMs: compactor.state.intervalMs, nextAt: compactor.state.nextAt, last: compactor.state.last }),
    setIntervalMs: (ms) => compactor.setIntervalMs(ms),
  };
}

type HistoryCallName = 'historyWindow' | 'historyAt' | 'historyObject' | 'setCompactionInterval';
export type HistoryCalls = { [K in HistoryCallName]: (req: BridgeCalls[K]['req']) => Promise<BridgeCalls[K]['res']> };

/** At most this many revisions per historyObject call. */
const MAX_REVISIONS = 10;

function revisionOf(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new BadRequest('revision must be a whole number, 1 or more');
  return v;
}

export function historyCalls(client: ApiClient, deps: HistoryDeps | undefined): HistoryCalls {
  const store = (): HistoryDeps => {
    if (!deps) throw new BridgeFailure(501, 'NotImplemented', 'the history window is known only for this Flotilla\'s own store');
    return deps;
  };
  const timeOf = (revision: number) => deps?.revisionTime(revision);
  const window = (): HistoryWindow => {
    const d = store();
    const current = d.revision();
    const oldest = Math.min(Math.max(d.compactRevision(), 1), Math.max(current, 1));
    const c = d.compaction();
    return {
      oldest, current, oldestAt: d.revisionTime(oldest), currentAt: d.revisionTime(current),
      intervalMs: c.intervalMs, nextCompactionAt: c.nextAt, lastCompaction: c.last,
    };
  };
  const listAt = async (r: ResourceRef, revision: number, opts: { namespace?: string; fieldSelector?: string } = {}): Promise<KObject[]> =>
    (await client.list(r, { ...opts, resourceVersion: String(revision), resourceVersionMatch: 'Exact' })).items.map(slim);

  return {
    historyWindow: async () => window(),
    async historyAt(req) {
      const revision = revisionOf(req?.revision);
      const [nodes, pods, deployments, events] = await Promise.all(
        [KIND_RESOURCES.nodes, KIND_RESOURCES.pods, KIND_RESOURCES.deployments, KIND_RESOURCES.events].map((r) => listAt(r, revision)),
      );
      return { revision, at: timeOf(revision), nodes, pods, deployments, events };
    },
    async historyObject(req) {
      const r = resourceOfKind(req?.kind);
      if (typeof req.name !== 'string' || !req.name) throw new BadRequest('name must be a non-empty string');
      if (!Array.isArray(req.revisions) || req.revisions.length === 0 || req.revisions.length > MAX_REVISIONS) {
        throw new BadRequest(`revisions must list 1 to ${MAX_REVISIONS} revisions`);
      }
      const revisions = req.revisions.map(revisionOf);
      const namespace = r.namespaced ? req.namespace || 'default' : undefined;
      return Promise.all(revisions.map(async (revision) => {
        const [object] = await listAt(r, revision, { namespace, fieldSelector: `metadata.name=${req.name}` });
        return { revision, at: timeOf(revision), object: object ?? null };
      }));
    },
    async setCompactionInterval(req) {
      const ms = req?.intervalMs;
      const problem = typeof ms === 'number' ? compactionIntervalProblem(ms) : 'intervalMs must be a number';
      if (problem) throw new BridgeFailure(422, 'Invalid', problem);
      store().setIntervalMs(ms);
      return window();
    },
  };
}
