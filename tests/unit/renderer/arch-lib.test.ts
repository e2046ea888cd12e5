// The architecture view's pure parts: activity coalesced into a few dots per link, and each component's
// explanation and figures from a snapshot.
import { describe, expect, it } from 'vitest';
import type { ArchitectureSnapshot } from '../../../main/api/architecture';
import { MAX_DOTS_PER_LINK, planDots, visibleLink } from '../../../renderer/src/lib/arch-activity';
import { componentInfo } from '../../../renderer/src/lib/arch-components';
import { agentFiguresFromApi } from '../../../main/bridge/arch/node-figures';

describe('planDots', () => {
  it('keeps a link readable at 100 events/s: at most a few dots, the events shared out among them', () => {
    const dots = planDots([{ link: 'api-store', count: 200 }, { link: 'clients-api', count: 2 }], new Map(), 1000);
    const store = dots.filter((d) => d.link === 'api-store');
    expect(store).toHaveLength(MAX_DOTS_PER_LINK);
    expect(store.reduce((n, d) => n + d.count, 0)).toBe(200);
    expect(store.map((d) => d.delayMs)).toEqual([0, 250, 500, 750]);
    expect(dots.filter((d) => d.link === 'clients-api').map((d) => d.count)).toEqual([1, 1]);
  });

  it('launches fewer dots on a link whose dots are still in flight, none on a full one', () => {
    const inFlight = new Map([['api-store', 3], ['api-scheduler', MAX_DOTS_PER_LINK]]);
    const dots = planDots([{ link: 'api-store', count: 7 }, { link: 'api-scheduler', count: 5 }, { link: 'api-controllers', count: 0 }], inFlight, 1000);
    expect(dots).toEqual([{ link: 'api-store', count: 7, delayMs: 0 }]);
  });

  it('sends each stage of a change later: request, write, watch events back from the store, then the watchers', () => {
    const dots = planDots([
      { link: 'api-node:a', count: 1 }, { link: 'store-api', count: 3 }, { link: 'api-store', count: 1 }, { link: 'clients-api', count: 1 }, { link: 'api-scheduler', count: 1 },
    ], new Map(), 600, MAX_DOTS_PER_LINK, 300);
    const first = (link: string) => Math.min(...dots.filter((d) => d.link === link).map((d) => d.delayMs));
    expect([first('clients-api'), first('api-store'), first('store-api'), first('api-scheduler'), first('api-node:a')]).toEqual([0, 300, 600, 900, 900]);
    expect(dots.filter((d) => d.link === 'store-api').map((d) => d.delayMs)).toEqual([600, 800, 1000]);
  });

  it('sends a node\'s activity to the summary card when its card is not drawn', () => {
    expect(visibleLink('api-node:a', new Set(['a']))).toBe('api-node:a');
    expect(visibleLink('api-node:b', new Set(['a']))).toBe('api-node:*');
    expect(visibleLink('api-store', new Set())).toBe('api-store');
  });
});

const NOW = Date.parse('2026-01-01T10:00:30Z');
const snapshot: ArchitectureSnapshot = {
  at: NOW,
  store: {
    revision: 120, compactRevision: 20, lastCompactionAt: '2026-01-01T09:58:30Z', sizeBytes: 2 * 1024 * 1024, writesPerSec: 3.5, watchEventsPerSec: 14, watchers: 12, objects: 80,
  },
  apiServer: { requestsPerSec: { POST: 2, GET: 0.5, LIST: 0 }, totalPerSec: 2.5, watches: 9, p99Ms: 12.3, inflight: 1 },
  scheduler: { active: 0, backoff: 1, unschedulable: 2, scheduled: 7, failed: 3, lastDecisions: [{ namespace: 'default', pod: 'web-1', node: 'n1', at: '2026-01-01T10:00:25Z' }] },
  controllers: [{ name: 'deployment', depth: 1, reconciles: 40, reconcilesPerSec: 0.5 }],
  nodes: [{ name: 'n1', ready: true, leaseRenewTime: '2026-01-01T10:00:27Z', pods: [], agent: agentFiguresFromApi('node n1 is not connected') }],
  activity: [],
};

describe('componentInfo', () => {
  it('explains each control-plane component in two sentences with its figures', () => {
    const api = componentInfo(snapshot, 'api', NOW);
    expect(api?.job.split('. ')).toHaveLength(2);
    expect(api?.rows).toEqual([['Requests', '2.5/s'], ['By verb', 'POST 2.0/s · GET 0.5/s'], ['Open watches', '9'], ['p99 latency', '12 ms'], ['In flight', '1']]);
    const store = componentInfo(snapshot, 'store', NOW)?.rows;
    expect(store).toContainEqual(['Size on disk', '2.0 MiB']);
    expect(store).toContainEqual(['Watch events to watchers', '14/s']);
    // The last compaction as a clock time (the viewer's zone) and how long ago.
    expect(store?.find((r) => r[0] === 'Last compaction')?.[1]).toMatch(/^\d\d:58:30 \(2 min ago\)$/);
    expect(componentInfo({ ...snapshot, store: { ...snapshot.store, lastCompactionAt: null } }, 'store', NOW)?.rows).toContainEqual(['Last compaction', 'none since start']);
    expect(componentInfo(snapshot, 'scheduler', NOW)?.rows).toContainEqual(['default/web-1', '→ n1, 5 s ago']);
    expect(componentInfo(snapshot, 'controllers', NOW)?.rows).toEqual([['deployment', 'queue 1 · 0.5/s · 40 reconciles']]);
  });

  it('says where a node\'s figures come from when its agent cannot be asked', () => {
    const k = componentInfo(snapshot, 'kubelet:n1', NOW);
    expect(k?.title).toBe('Agent (kubelet) on n1');
    expect(k?.rows).toContainEqual(['Last heartbeat (Lease)', '3 s ago']);
    expect(k?.rows).toContainEqual(['Figures from', 'the API only (node n1 is not connected)']);
    expect(componentInfo(snapshot, 'proxy:n1', NOW)?.rows[0]).toEqual(['iptables rules', '—']);
    expect(componentInfo(snapshot, 'kubelet:gone', NOW)).toBeUndefined();
  });
});
