// API Priority and Fairness in the request path, as kube-apiserver's WithPriorityAndFairness: after authentication
// and impersonation, before authorization, each request is classified (classify.ts), its response names the
// matched FlowSchema's and PriorityLevelConfiguration's UIDs, and it runs when its level's QueueSet gives it a seat
// or gets 429 with Retry-After. A watch holds its seat until it is initialized only (the handler has returned; the
// stream goes on without it); the other long-running requests (log, exec, attach, port-forward) bypass it.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Identity } from '../auth';
import type { RequestInfo } from '../request';
import { errors } from '../status';
import type { ApiError } from '../status';
import type { FlowControlMetrics, FlowFigures } from '../metrics/flowcontrol';
import { DEFAULT_REQUEST_WAIT_LIMIT_MS, DEFAULT_SERVER_CONCURRENCY_LIMIT, FLOW_SCHEMAS, PRIORITY_LEVELS, nominalLimits } from './config';
import type { FlowSchema, PriorityLevel } from './config';
import { classify, sortSchemas } from './classify';
import { QueueSet } from './queue-set';
import type { RejectReason } from './queue-set';

export interface FlowControlOptions {
  /** Seats shared out among the limited priority levels by their shares; kube-apiserver's default 600. */
  serverConcurrencyLimit?: number;
  /** How long a request may wait in a queue; kube-apiserver's default 15 s (at most 1 min). */
  requestWaitLimitMs?: number;
}

/** Held while the request runs: release it when the request is done (a watch: once it is initialized). */
export interface FlowTicket {
  release(): void;
}

export const PF_FLOW_SCHEMA_UID = 'X-Kubernetes-PF-FlowSchema-UID';
export const PF_PRIORITY_LEVEL_UID = 'X-Kubernetes-PF-PriorityLevel-UID';
/** kube-apiserver's words for a request APF rejects. */
export const TOO_MANY_REQUESTS = 'Too many requests, please try again later.';

/** Subresources kube-apiserver serves as long-running (BasicLongRunningRequestCheck): APF does not track them. */
const LONG_RUNNING = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

const NO_TICKET: FlowTicket = { release: () => undefined };

function flowHash(schema: FlowSchema, distinguisher: string): bigint {
  return createHash('sha256').update(`${schema.name}\0${distinguisher}`).digest().readBigUInt64BE(0);
}

export class FlowControl {
  private schemas: FlowSchema[] = sortSchemas(FLOW_SCHEMAS);
  private levels = new Map<string, { level: PriorityLevel; queues?: QueueSet }>();
  private readonly figuresBySchema = new Map<FlowSchema, FlowFigures>();
  private readonly serverConcurrencyLimit: number;
  private readonly waitMs: number;

  constructor(opts: FlowControlOptions = {}, private readonly metrics?: FlowControlMetrics) {
    this.serverConcurrencyLimit = opts.serverConcurrencyLimit ?? DEFAULT_SERVER_CONCURRENCY_LIMIT;
    this.waitMs = Math.min(opts.requestWaitLimitMs ?? DEFAULT_REQUEST_WAIT_LIMIT_MS, 60_000);
    this.configure(PRIORITY_LEVELS, FLOW_SCHEMAS);
  }

  /**
   * Takes a configuration (the stored objects, compiled): each level's seats from its share of the server's, a level
   * whose seats and queuing are unchanged keeps its queues (and the requests in them); a schema whose level is not
   * there is left out, as kube-apiserver leaves out a dangling one. Requests already admitted finish on the seats
   * they hold.
   */
  configure(levels: readonly PriorityLevel[], schemas: readonly FlowSchema[]): void {
    const limits = nominalLimits(levels, this.serverConcurrencyLimit);
    const next = new Map<string, { level: PriorityLevel; queues?: QueueSet }>();
    for (const level of levels) {
      const limit = limits.get(level.name);
      const had = this.levels.get(level.name);
      const same = had?.queues && limit !== undefined && had.queues.limit === limit && JSON.stringify(had.level.queuing) === JSON.stringify(level.queuing);
      const queues = same ? had.queues : level.type === 'Limited' && limit !== undefined ? new QueueSet(limit, level.queuing, this.waitMs) : undefined;
      next.set(level.name, { level, queues });
      if (limit !== undefined) this.metrics?.nominalLimit.set({ priority_level: level.name }, limit);
    }
    this.levels = next;
    this.schemas = sortSchemas(schemas.filter((fs) => next.has(fs.priorityLevel)));
    this.figuresBySchema.clear();
  }

  /** The metrics' figures of a schema (and its level), found once per schema. */
  private figures(schema: FlowSchema, level: PriorityLevel): FlowFigures | undefined {
    let f = this.figuresBySchema.get(schema);
    if (!f && this.metrics) this.figuresBySchema.set(schema, (f = this.metrics.flow(level.name, schema.name)));
    return f;
  }

  /** A priority level's seats and queues (for tests and diagnostics). */
  queueSet(level: string): QueueSet | undefined {
    return this.levels.get(level)?.queues;
  }

  /** Waits for a seat; throws the 429 when the request is rejected. The PF headers are set on `res` either way. */
  admit(who: Identity, info: RequestInfo, method: string, res: ServerResponse): Promise<FlowTicket> {
    if (info.isResource && info.subresource && LONG_RUNNING.has(info.subresource)) return Promise.resolve(NO_TICKET);
    const { schema, distinguisher } = classify(this.schemas, who, info, method);
    // A configuration without a schema for this request (no catch-all yet): the request runs, unclassified.
    if (!schema) return Promise.resolve(NO_TICKET);
    const { level, queues } = this.levels.get(schema.priorityLevel)!;
    res.setHeader(PF_FLOW_SCHEMA_UID, schema.uid);
    res.setHeader(PF_PRIORITY_LEVEL_UID, level.uid);
    const m = this.metrics && this.figures(schema, level);
    const begin = (): FlowTicket => {
      m?.dispatched();
      let held = true;
      return {
        release: () => {
          if (!held) return;
          held = false;
          m?.released();
          queues?.release();
        },
      };
    };
    if (!queues) return Promise.resolve(begin());
    return new Promise<FlowTicket>((resolve, reject) => {
      let queued = false;
      let settled = false;
      const onClose = () => withdraw();
      const settle = () => {
        settled = true;
        res.off('close', onClose);
        if (queued) m?.queued(-1);
      };
      const withdraw = queues.submit(() => flowHash(schema, distinguisher), {
        start: () => {
          settle();
          resolve(begin());
        },
        reject: (reason: RejectReason) => {
          settle();
          m?.rejected(reason);
          reject(rejection());
        },
      });
      if (!settled) {
        queued = true;
        m?.queued(1);
        res.once('close', onClose);
      }
    });
  }
}

/** The 429 kube-apiserver answers: its message, and Retry-After (from details.retryAfterSeconds) of one second. */
function rejection(): ApiError {
  return errors.tooManyRequests(TOO_MANY_REQUESTS, 1);
}
