// kube-proxy's part of a pod's journey: when this node's rules first hold a pod as a ready endpoint
// (or stop holding it), a span of that pod's trace from the slice change reaching the node to the
// iptables sync that programmed it.
import type { EndpointSlice } from '../../../main/api/types';
import { endpointChanges, readyPods } from '../../../main/protocol/tracing/endpoint-changes';
import { NODE_NAME, STEP, podSpan, tracingEnabled, type PodRef } from '../../../main/protocol/tracing/pod-trace';

export class ProxyJourney {
  /** The ready pod endpoints the rules hold (as of the last sync). */
  private programmed = new Map<string, PodRef>();
  /** The ready pod endpoints of the model handed to the proxier. */
  private desired = new Map<string, PodRef>();
  /** When each pending change reached this node. */
  private readonly since = new Map<string, number>();

  constructor(private readonly nodeName: string) {}

  /** A new model from these slices goes to the proxier. */
  modelBuilt(slices: readonly EndpointSlice[]): void {
    if (!tracingEnabled()) return;
    const want = new Map<string, PodRef>();
    for (const s of slices) readyPods(s.endpoints, want);
    const now = Date.now();
    const { added, removed } = endpointChanges(this.programmed, want);
    for (const p of [...added, ...removed]) if (!this.since.has(p.uid)) this.since.set(p.uid, now);
    this.desired = want;
  }

  /** The proxier synced the latest model. */
  synced(): void {
    if (!tracingEnabled()) return;
    const { added, removed } = endpointChanges(this.programmed, this.desired);
    const attrs = { [NODE_NAME]: this.nodeName };
    const now = Date.now();
    for (const p of added) podSpan('kube-proxy', STEP.rulesAdded, p, this.since.get(p.uid) ?? now, attrs, now);
    for (const p of removed) podSpan('kube-proxy', STEP.rulesRemoved, p, this.since.get(p.uid) ?? now, attrs, now);
    this.since.clear();
    this.programmed = this.desired;
  }
}
