import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { MIN, SEC, ago, cells, headers, row } from './fixtures';

function event(extra: Record<string, unknown>): KObject {
  return {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: 'web-7d4b9c-x2x8k.17f3a1b2c3d4e5f6', namespace: 'default', creationTimestamp: ago(5 * MIN) },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-7d4b9c-x2x8k', fieldPath: 'spec.containers{web}' },
    reason: 'Pulled', message: 'Container image "nginx:1.27" already present on machine\n', type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' },
    ...extra,
  };
}

describe('events table', () => {
  it('has the real columns, wide ones interleaved', () => {
    expect(headers('', 'events')).toEqual({
      normal: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
      wide: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'],
    });
  });

  it('classic event with first/last timestamps and a count', () => {
    const e = event({ firstTimestamp: ago(5 * MIN), lastTimestamp: ago(40 * SEC), count: 4 });
    expect(cells('', 'events', e)).toEqual([
      '40s', 'Normal', 'Pulled', 'pod/web-7d4b9c-x2x8k', 'spec.containers{web}', 'kubelet, node-1',
      'Container image "nginx:1.27" already present on machine', '5m', 4, 'web-7d4b9c-x2x8k.17f3a1b2c3d4e5f6',
    ]);
  });

  it('new-style event: eventTime, series, reporting controller, no count', () => {
    const single = event({ source: {}, eventTime: ago(90 * SEC), reportingComponent: 'default-scheduler', reportingInstance: '' });
    const r = row('', 'events', single);
    expect([r['LAST SEEN'], r['FIRST SEEN'], r.COUNT, r.SOURCE]).toEqual(['90s', '90s', 1, 'default-scheduler']);
    const series = event({ eventTime: ago(10 * MIN), series: { count: 7, lastObservedTime: ago(20 * SEC) } });
    const s = row('', 'events', series);
    expect([s['LAST SEEN'], s['FIRST SEEN'], s.COUNT]).toEqual(['20s', '10m', 7]);
  });

  it('objects without a name show just the kind; no timestamps → <unknown>', () => {
    const e = event({ involvedObject: { kind: 'Node' } });
    const r = row('', 'events', e);
    expect([r.OBJECT, r['LAST SEEN'], r['FIRST SEEN'], r.SUBOBJECT]).toEqual(['node', '<unknown>', '<unknown>', '']);
  });
});
