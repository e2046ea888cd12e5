// Reports the node's status every period (the kubelet's nodeStatusUpdateFrequency): writes it through
// nodes/<name>/status when anything but the heartbeat changed (or someone else changed our conditions), and at
// least every 5 minutes as a heartbeat (its nodeStatusReportFrequency; the Lease is what says the node is alive).
import type { Node, NodeCondition } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import { buildNodeStatus, statusFingerprint, type NodeStatusSource } from './node-status';
import { R } from '../../../main/client/refs';
import { rfc3339 } from './time';
import { conditionEvents, schedulableEvent, type NodeEvent } from './node-events';

/** The kubelet's default nodeStatusReportFrequency. */
export const HEARTBEAT_MS = 5 * 60_000;

export interface StatusReporterOptions {
  client: ApiClient;
  source: NodeStatusSource;
  periodMs: number;
  /** Heartbeat interval when nothing changes (default 5 min). */
  heartbeatMs?: number;
  initialConditions?: NodeCondition[];
  onError?: (err: unknown) => void;
  onWrite?: (node: Node) => void;
  /** The kubelet's node events: condition changes and cordon/uncordon (node-events.ts). */
  recordEvent?: (event: NodeEvent) => void;
  /**
   * This node as the agent's synced node watch has it (undefined: not synced, or not there): read instead of a GET
   * every period. The kubelet GETs it from kube-apiserver's watch cache; the agent's watch is the same data without a
   * round trip through the tunnel every 10 s. Without it (or when it has nothing), a GET.
   */
  watched?: () => Node | undefined;
}

function conditionsPrint(conditions: NodeCondition[] | undefined): string {
  return JSON.stringify((conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]).sort());
}

export class NodeStatusReporter {
  private conditions: NodeCondition[] | undefined;
  private lastPrint = '';
  private lastWrite = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  /** spec.unschedulable when last looked at (false at start, as the kubelet's lastNodeUnschedulable). */
  private unschedulable = false;

  constructor(private readonly o: StatusReporterOptions) {
    this.conditions = o.initialConditions;
  }

  /** Starts the periodic reports; returns the disposer. */
  start(): () => void {
    const tick = (): void => {
      this.running = this.report().catch((err) => this.o.onError?.(err)).then(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.o.periodMs);
      });
    };
    tick();
    return () => { this.stopped = true; if (this.timer) clearTimeout(this.timer); };
  }

  /** Reports now (e.g. when the network became ready), after a report in progress. */
  kick(): Promise<void> {
    this.running = this.running.then(() => this.report()).catch((err) => this.o.onError?.(err));
    return this.running;
  }

  private async report(): Promise<void> {
    const status = await buildNodeStatus(this.o.source, this.conditions, rfc3339());
    const print = statusFingerprint(status);
    const due = Date.now() - this.lastWrite >= (this.o.heartbeatMs ?? HEARTBEAT_MS);
    const node = this.o.watched?.() ?? await this.o.client.get<Node>(R.nodes, this.o.source.nodeName);
    const cordon = schedulableEvent(this.o.source.nodeName, this.unschedulable, node.spec?.unschedulable === true);
    this.unschedulable = node.spec?.unschedulable === true;
    if (cordon) this.o.recordEvent?.(cordon);
    // Someone else (the node lifecycle controller) may have changed our conditions, e.g. to Unknown while we were cut off.
    const overwritten = conditionsPrint(node.status?.conditions) !== conditionsPrint(status.conditions);
    if (print === this.lastPrint && !due && !overwritten) return;
    const written = await this.o.client.update<Node>(R.nodes, { ...node, metadata: { ...node.metadata, resourceVersion: undefined }, status }, { subresource: 'status', fieldManager: 'flotilla-agent' });
    for (const e of conditionEvents(this.o.source.nodeName, this.conditions, status.conditions)) this.o.recordEvent?.(e);
    this.conditions = status.conditions;
    this.lastPrint = print;
    this.lastWrite = Date.now();
    this.o.onWrite?.(written);
  }
}
