// The event correlator's caches keep only what still means something: an aggregation record past its 10 minutes and
// a spam bucket refilled to its burst are dropped as new Events come, while what they decide is unchanged — the 10th
// similar Event within 10 minutes is still combined, and a source over its burst is still held back.
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../main/api/types';
import { AGGREGATE_PREFIX, EventCorrelator } from '../../../main/client/record/correlator';
import { Lru } from '../../../main/protocol/lru';

function podEvent(pod: string, reason: string, message: string): Event {
  return {
    apiVersion: 'v1', kind: 'Event', metadata: { name: `${pod}.1`, namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: pod, uid: `uid-${pod}`, apiVersion: 'v1' },
    reason, message, type: 'Normal', source: { component: 'default-scheduler' }, count: 1,
    firstTimestamp: '2026-12-04T00:00:00Z', lastTimestamp: '2026-12-04T00:00:00Z',
  };
}

describe('Lru.evictOldestWhile', () => {
  it('drops least recently used entries while they are stale, at most the number asked, and stops at a kept one', () => {
    const l = new Lru<string, number>(10);
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 30], ['d', 4]] as const) l.set(k, v);
    l.get('a'); // now the most recently used
    l.evictOldestWhile((v) => v < 10, 5);
    expect(l.size).toBe(3); // b dropped; c (30) is kept and stops the walk, so d stays
    expect(l.get('b')).toBeUndefined();
    expect(l.get('d')).toBe(4);
    l.evictOldestWhile((v) => v > 0, 1);
    expect(l.size).toBe(2);
  });
});

describe('EventCorrelator caches', () => {
  it('hold only recent objects after thousands of short-lived pods, and still combine and filter as client-go', () => {
    let now = 0;
    const c = new EventCorrelator(() => now);
    // 3,000 pods, one scheduled Event each, 2 s apart (100 minutes).
    for (let i = 0; i < 3000; i++) {
      now += 2000;
      c.correlate(podEvent(`p-${i}`, 'Scheduled', `Successfully assigned default/p-${i} to node-1`));
    }
    const s = c.sizes;
    // Aggregation records live 10 minutes (300 pods at this pace), spam buckets until refilled (one token in 300 s:
    // 150 pods); the observed Events are client-go's plain LRU.
    expect(s.aggregates).toBeLessThanOrEqual(300 + 4);
    expect(s.aggregates).toBeGreaterThanOrEqual(300);
    expect(s.spam).toBeLessThanOrEqual(150 + 4);
    expect(s.observed).toBe(3000);

    // Similar Events about one pod within 10 minutes: from the 10th on, combined (client-go's maxEvents).
    const messages = Array.from({ length: 11 }, (_, i) => c.correlate(podEvent('busy', 'BackOff', `message ${i}`)).event.message);
    expect(messages[8]).toBe('message 8');
    expect(messages[9]).toBe(`${AGGREGATE_PREFIX}message 9`);
    expect(messages[10]).toBe(`${AGGREGATE_PREFIX}message 10`);
    // Its spam bucket: 25 Events, then held back; after 300 s, one more.
    const skips = Array.from({ length: 20 }, (_, i) => c.correlate(podEvent('busy', 'Pulling', `pull ${i}`)).skip);
    expect(skips.filter((x) => !x).length).toBe(25 - 11);
    now += 300_000;
    expect(c.correlate(podEvent('busy', 'Pulled', 'pulled')).skip).toBe(false);
    expect(c.correlate(podEvent('busy', 'Pulled', 'pulled again')).skip).toBe(true);
  });
});
