// DefaultPreemption as the scheduler's PostFilter: runs only after Filter found no node. It checks
// the pod may preempt, dry-runs preemption on every node with the cache's NodeInfos, and for the
// chosen candidate evicts the victims (preempt-apply.ts) and nominates the node. Returns the
// "preemption: …" part of the FitError message ('' when a node was nominated) and the nomination.
import type { Pod, PodDisruptionBudget } from '../api/types';
import type { ApiClient } from '../client/types';
import type { EventRecorder } from '../client/record/recorder';
import type { SharedInformers } from '../client/cache/shared-informers';
import type { SchedulerCache } from './cache';
import type { Framework } from './framework';
import { preemptVictims } from './preempt-apply';
import { findCandidate, notEligible, terminatingLowerOn } from './preemption';
import type { PodInfo } from './types';

export interface PostFilterResult {
  message: string;
  /** The node the pod is nominated to ('' clears a nomination; undefined leaves it). */
  nominatedNode?: string;
}

export class Preemption {
  private readonly pdbs;

  constructor(
    informers: SharedInformers,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
    private readonly cache: SchedulerCache,
    private readonly fw: Framework,
    private readonly schedulerName: string,
    private readonly log: (line: string) => void,
  ) {
    this.pdbs = informers.informer('poddisruptionbudgets');
  }

  get hasSynced(): Promise<void> {
    return this.pdbs.hasSynced;
  }

  postFilter(pi: PodInfo, live: Pod): PostFilterResult {
    const nominated = live.status?.nominatedNodeName;
    const nominatedNi = nominated ? this.cache.nodes.get(nominated) : undefined;
    // A pod whose nominated node still may fit it waits for the victims terminating there.
    const stillPossible = !!nominatedNi && !this.fw.filter(pi, nominatedNi)?.unresolvable;
    const why = notEligible(pi, stillPossible && terminatingLowerOn(pi, nominatedNi));
    if (why) return { message: `preemption: ${why}` };
    const fits = (p: PodInfo, ni: Parameters<Framework['filter']>[1]) => this.fw.filter(p, ni);
    const res = findCandidate(pi, this.cache.nodeList, fits, this.pdbs.list() as PodDisruptionBudget[]);
    if (typeof res === 'string') return { message: `preemption: ${res}`, nominatedNode: nominated ? '' : undefined };
    const lowerNominated = this.fw.nominator.lowerOn(res.node, pi.priority);
    for (const p of lowerNominated) this.fw.nominator.delete(p.uid);
    this.fw.nominator.set(pi, res.node);
    // The victims leave the cache when their deletion is observed; the nomination keeps the room meanwhile.
    void preemptVictims(this.client, this.recorder, this.schedulerName, pi, res, lowerNominated)
      .catch((e: unknown) => this.log(`scheduler: preempting for ${pi.key}: ${e instanceof Error ? e.message : String(e)}`));
    return { message: '', nominatedNode: res.node };
  }
}
