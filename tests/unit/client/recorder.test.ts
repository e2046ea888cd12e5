// The event recorder against a real in-process API, with client-go's correlator: identical events
// are one Event with a count, more than 10 similar ones (same reason, other messages) within 10
// minutes become "(combined from similar events)", a source gets 25 events about one object before
// the spam filter holds it back, and a kubelet's events carry source host and field path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, KObject } from '../../../main/api/types';
import { EventRecorder } from '../../../main/client/record/recorder';
import { EventCorrelator } from '../../../main/client/record/correlator';
import { referenceOf } from '../../../main/client/record/reference';
import { R } from '../../../main/client/refs';
import { startInProcessApi, type InProcessApi } from '../../helpers/in-process-api';

let api: InProcessApi;
beforeAll(async () => { api = await startInProcessApi(); });
afterAll(() => api?.close());

async function eventsAbout(name: string, namespace = 'default'): Promise<Event[]> {
  const items = (await api.client.list<Event & KObject>(R.events, { namespace })).items;
  return items.filter((e) => e.involvedObject.name === name);
}

async function configMap(name: string): Promise<KObject> {
  return api.client.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
}

describe('event recorder', () => {
  it('creates an event and counts identical repeats on it', async () => {
    const cm = await configMap('x');
    const rec = new EventRecorder(api.client, { component: 'test-controller' });
    rec.event(cm, 'Warning', 'FailedScheduling', 'no room');
    rec.event(cm, 'Warning', 'FailedScheduling', 'no room');
    rec.event(cm, 'Warning', 'FailedScheduling', 'no room');
    rec.event(cm, 'Normal', 'Scheduled', 'placed');
    await rec.flush();
    const events = await eventsAbout('x');
    const failed = events.filter((e) => e.reason === 'FailedScheduling');
    expect(failed.length).toBe(1);
    expect(failed[0]).toMatchObject({
      count: 3, type: 'Warning', message: 'no room', source: { component: 'test-controller' }, reportingComponent: 'test-controller',
      involvedObject: { kind: 'ConfigMap', name: 'x', namespace: 'default', uid: cm.metadata?.uid },
    });
    expect(failed[0].firstTimestamp! <= failed[0].lastTimestamp!).toBe(true);
    expect(events.filter((e) => e.reason === 'Scheduled').length).toBe(1);
    rec.stop();
  });

  it('records events about cluster-scoped objects (no namespace in the reference; the Event goes to default)', async () => {
    const ns = await api.client.create<KObject>(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ev-cluster-scoped' } });
    const rec = new EventRecorder(api.client, { component: 'test-controller' });
    rec.event(ns, 'Normal', 'Seen', 'a cluster-scoped object');
    await rec.flush();
    const [e] = await eventsAbout('ev-cluster-scoped');
    expect(e?.involvedObject).toEqual({ kind: 'Namespace', apiVersion: 'v1', name: 'ev-cluster-scoped', uid: ns.metadata?.uid, resourceVersion: ns.metadata?.resourceVersion });
    rec.stop();
  });

  it('combines more than 10 similar events (same reason, other messages) into one', async () => {
    const cm = await configMap('similar');
    const rec = new EventRecorder(api.client, { component: 'test-controller' });
    for (let i = 1; i <= 12; i++) rec.event(cm, 'Warning', 'BackOff', `attempt ${i}`);
    await rec.flush();
    const events = await eventsAbout('similar');
    expect(events.filter((e) => !e.message?.startsWith('(combined')).map((e) => e.message).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `attempt ${i}`).sort());
    const combined = events.filter((e) => e.message?.startsWith('(combined from similar events): '));
    expect(combined.length).toBe(1);
    expect(combined[0]).toMatchObject({ count: 3, message: '(combined from similar events): attempt 12' });
    rec.stop();
  });

  it('holds back a source after 25 events about one object (client-go spam filter)', async () => {
    const cm = await configMap('spam');
    const rec = new EventRecorder(api.client, { component: 'test-controller' });
    for (let i = 0; i < 30; i++) rec.event(cm, 'Normal', 'Tick', 'again');
    await rec.flush();
    const events = await eventsAbout('spam');
    expect(events.map((e) => e.count)).toEqual([25]);
    rec.stop();
  });

  it('writes a kubelet\'s events with its host and the container\'s field path', async () => {
    const cm = await configMap('kubelet');
    const rec = new EventRecorder(api.client, { component: 'kubelet', host: 'node-1' });
    rec.event(referenceOf(cm, 'spec.containers{web}'), 'Normal', 'Pulled', 'image pulled');
    rec.event(referenceOf(cm, 'spec.containers{web}'), 'Normal', 'Pulled', 'image pulled');
    rec.event(referenceOf(cm, 'spec.containers{side}'), 'Normal', 'Pulled', 'image pulled');
    await rec.flush();
    const events = await eventsAbout('kubelet');
    expect(events.map((e) => [e.involvedObject.fieldPath, e.count]).sort()).toEqual([['spec.containers{side}', 1], ['spec.containers{web}', 2]]);
    expect(events[0]).toMatchObject({ source: { component: 'kubelet', host: 'node-1' }, reportingComponent: 'kubelet', reportingInstance: 'node-1' });
    rec.stop();
  });

  it('keeps each source\'s counting and spam filter its own when recorders share one correlator (the hollow kubelets)', async () => {
    const cm = await configMap('shared');
    const correlator = new EventCorrelator();
    const a = new EventRecorder(api.client, { component: 'kubelet', host: 'node-a' }, { correlator });
    const b = new EventRecorder(api.client, { component: 'kubelet', host: 'node-b' }, { correlator });
    for (let i = 0; i < 3; i++) a.event(cm, 'Normal', 'Pulled', 'pulled');
    for (let i = 0; i < 2; i++) b.event(cm, 'Normal', 'Pulled', 'pulled');
    // node-a fills its spam bucket (25 in all); node-b's stays its own.
    for (let i = 0; i < 30; i++) a.event(cm, 'Normal', 'Tick', `tick ${i % 5}`);
    b.event(cm, 'Normal', 'Started', 'started');
    await Promise.all([a.flush(), b.flush()]);
    const events = await eventsAbout('shared');
    const pulled = events.filter((e) => e.reason === 'Pulled').map((e) => [e.source?.host, e.count]).sort();
    expect(pulled).toEqual([['node-a', 3], ['node-b', 2]]);
    expect(events.some((e) => e.reason === 'Started' && e.source?.host === 'node-b')).toBe(true);
    expect(correlator.sizes.observed).toBeGreaterThanOrEqual(4);
    a.stop();
    b.stop();
  });
});
