// The events timeline's filter menus, the filter itself, and where an event's object leads.
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../main/api/types';
import { eventFacets, eventTarget, passesFacets } from '../../../renderer/src/lib/event-filters';

const ev = (kind: string, name: string, reason: string, namespace = 'default', apiVersion = 'v1'): Event => ({
  metadata: { name: `${name}.1` }, involvedObject: { kind, name, namespace, apiVersion }, reason,
});

describe('event filters', () => {
  const events = [ev('Pod', 'web-1', 'Pulled'), ev('Node', 'n1', 'NodeNotSchedulable', ''), ev('Deployment', 'web', 'ScalingReplicaSet', 'default', 'apps/v1'), ev('Pod', 'web-2', 'Pulled')];

  it('offers the kinds and reasons present, once each, sorted', () => {
    expect(eventFacets(events)).toEqual({ kinds: ['Deployment', 'Node', 'Pod'], reasons: ['NodeNotSchedulable', 'Pulled', 'ScalingReplicaSet'] });
  });

  it('passes events of the chosen kind and reason (empty: any)', () => {
    expect(events.filter((e) => passesFacets(e, 'Pod', '')).map((e) => e.involvedObject.name)).toEqual(['web-1', 'web-2']);
    expect(events.filter((e) => passesFacets(e, '', 'NodeNotSchedulable')).map((e) => e.involvedObject.name)).toEqual(['n1']);
    expect(events.filter((e) => passesFacets(e, 'Pod', 'ScalingReplicaSet'))).toEqual([]);
  });

  it('opens a pod, a node, or any other object by its apiVersion and kind', () => {
    expect(eventTarget(events[0])).toEqual({ type: 'pod', namespace: 'default', name: 'web-1' });
    expect(eventTarget(events[1])).toEqual({ type: 'node', name: 'n1' });
    expect(eventTarget(events[2])).toEqual({ type: 'object', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' });
    expect(eventTarget({ metadata: {}, involvedObject: {} })).toBeUndefined();
  });
});
