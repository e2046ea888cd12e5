// client-go's EventCorrelator (tools/record/events_cache.go), which every recorder runs an Event
// through before writing it:
//  - aggregation: from the 10th event about one object with the same source, type and reason but
//    different messages within 10 minutes, they become one Event "(combined from similar events): <msg>";
//  - counting: an Event identical but for its timestamps to one already written is a patch of the
//    existing Event's count and lastTimestamp instead of a new Event;
//  - spam filter: a source may write 25 events about one object, then 1 every 5 minutes.
// Pure (time comes from `now`); each cache is an LRU of 4096 entries. Beyond client-go: an aggregation record older
// than its 10 minutes and a spam bucket refilled to its burst mean exactly what no entry means, so the oldest such
// entries are dropped as new ones come (a few per call): a recorder that has seen thousands of short-lived pods holds
// only the recent ones instead of filling both caches to 4096.
import type { Event } from '../../api/types';
import { Lru } from '../../protocol/lru';

/** Stale entries dropped per call, at most: more than one, so they go faster than new ones come. */
const PRUNE_PER_CALL = 4;
const MAX_LRU_ENTRIES = 4096;
const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_QPS = 1 / 300;

export const AGGREGATE_PREFIX = '(combined from similar events): ';

/** What to write: a new Event (create), or a patch of an existing one's count/lastTimestamp/message. */
export interface Correlated {
  event: Event;
  /** Set when an Event with this name exists: patch it instead of creating. */
  patch?: { count: number; lastTimestamp: string; message?: string };
  /** Dropped by the spam filter. */
  skip: boolean;
}

interface Observation { count: number; firstTimestamp?: string; name: string; resourceVersion?: string }
interface AggregateRecord { localKeys: Set<string>; last: number }
interface Bucket { tokens: number; at: number }

function involved(e: Event): string[] {
  const o = e.involvedObject;
  return [o.kind ?? '', o.namespace ?? '', o.name ?? ''];
}

/** getEventKey: source, involved object (with fieldPath), type, reason and message. */
export function eventKey(e: Event): string {
  const o = e.involvedObject;
  return JSON.stringify([e.source?.component ?? '', e.source?.host ?? '', ...involved(e), o.fieldPath ?? '', o.uid ?? '', o.apiVersion ?? '', e.type ?? '', e.reason ?? '', e.message ?? '']);
}

function spamKey(e: Event): string {
  const o = e.involvedObject;
  return JSON.stringify([e.source?.component ?? '', e.source?.host ?? '', ...involved(e), o.uid ?? '', o.apiVersion ?? '']);
}

function aggregateKey(e: Event): string {
  const o = e.involvedObject;
  return JSON.stringify([e.source?.component ?? '', e.source?.host ?? '', ...involved(e), o.uid ?? '', o.apiVersion ?? '', e.type ?? '', e.reason ?? '', e.reportingComponent ?? '', e.reportingInstance ?? '']);
}

export class EventCorrelator {
  private readonly aggregates = new Lru<string, AggregateRecord>(MAX_LRU_ENTRIES);
  private readonly observed = new Lru<string, Observation>(MAX_LRU_ENTRIES);
  private readonly spam = new Lru<string, Bucket>(MAX_LRU_ENTRIES);

  constructor(private readonly now: () => number = Date.now, private readonly timestamp: (ms: number) => string = rfc3339) {}

  /** How many entries each cache holds (for tests and the soak's accounting). */
  get sizes(): { aggregates: number; observed: number; spam: number } {
    return { aggregates: this.aggregates.size, observed: this.observed.size, spam: this.spam.size };
  }

  correlate(input: Event): Correlated {
    const { event: aggregated, key } = this.aggregate(input);
    const { event, patch } = this.observe(aggregated, key);
    return { event, patch, skip: this.filtered(event) };
  }

  /** Records what the server has (after a create or patch), so the next repeat patches it. */
  updateState(written: Event): void {
    this.observed.set(eventKey(written), { count: written.count ?? 1, firstTimestamp: written.firstTimestamp, name: written.metadata?.name ?? '', resourceVersion: written.metadata?.resourceVersion });
  }

  private aggregate(e: Event): { event: Event; key: string } {
    const now = this.now();
    const akey = aggregateKey(e);
    this.aggregates.evictOldestWhile((r) => now - r.last > AGGREGATE_INTERVAL_MS, PRUNE_PER_CALL);
    let rec = this.aggregates.get(akey);
    if (!rec || now - rec.last > AGGREGATE_INTERVAL_MS) rec = { localKeys: new Set(), last: now };
    rec.localKeys.add(e.message ?? '');
    rec.last = now;
    this.aggregates.set(akey, rec);
    if (rec.localKeys.size < AGGREGATE_MAX_EVENTS) return { event: e, key: eventKey(e) };
    rec.localKeys.delete(rec.localKeys.values().next().value as string);
    const ts = this.timestamp(now);
    const event: Event = {
      ...e,
      metadata: { name: eventName(e.involvedObject.name, now), namespace: e.metadata?.namespace },
      message: AGGREGATE_PREFIX + (e.message ?? ''),
      count: 1, firstTimestamp: ts, lastTimestamp: ts,
    };
    return { event, key: akey };
  }

  private observe(e: Event, key: string): { event: Event; patch?: Correlated['patch'] } {
    const last = this.observed.get(key);
    let event = e;
    let patch: Correlated['patch'];
    if (last && last.count > 0) {
      event = {
        ...e,
        metadata: { ...e.metadata, name: last.name, ...(last.resourceVersion ? { resourceVersion: last.resourceVersion } : {}) },
        firstTimestamp: last.firstTimestamp, count: last.count + 1,
      };
      patch = { count: event.count!, lastTimestamp: event.lastTimestamp!, ...(event.message ? { message: event.message } : {}) };
    }
    this.observed.set(key, { count: event.count ?? 1, firstTimestamp: event.firstTimestamp, name: event.metadata?.name ?? '', resourceVersion: event.metadata?.resourceVersion });
    return { event, patch };
  }

  private filtered(e: Event): boolean {
    const now = this.now();
    const k = spamKey(e);
    this.spam.evictOldestWhile((old) => refilled(old, now) >= SPAM_BURST, PRUNE_PER_CALL);
    const b = this.spam.get(k) ?? { tokens: SPAM_BURST, at: now };
    b.tokens = refilled(b, now);
    b.at = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.spam.set(k, b);
    return !ok;
  }
}

/** A spam bucket's tokens at `now`: refilled at SPAM_QPS since it was last used, up to the burst. */
function refilled(b: Bucket, now: number): number {
  return Math.min(SPAM_BURST, b.tokens + ((now - b.at) / 1000) * SPAM_QPS);
}

/** An Event's name: the object's name and the time in nanoseconds, in hex (client-go's "%v.%x"). */
export function eventName(objectName: string | undefined, ms: number): string {
  const nanos = BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
  return `${objectName ?? 'unknown'}.${nanos.toString(16)}`;
}

/** RFC 3339 to the second, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
