// The event recorder against our API server: repeats are aggregated by count and lastTimestamp.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, KObject } from '../../../main/api/types';
import type { Core } from '../../../main/core';
import { startCore } from '../../../main/core';
import { EventRecorder } from '../../../main/client/record/recorder';
import { R } from '../../../main/client/refs';

let core: Core;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-ev-'));
  core = await startCore({ dataDir: dir, apiPort: 0, log: () => undefined, controllers: false });
});
afterAll(async () => {
  await core?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('event recorder', () => {
  it('creates an event and aggregates repeats', async () => {
    const pod = await core.client.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } });
    const rec = new EventRecorder(core.client, { component: 'test-controller' });
    rec.event(pod, 'Warning', 'FailedScheduling', 'no room');
    await rec.flush();
    rec.event(pod, 'Warning', 'FailedScheduling', 'no room');
    rec.event(pod, 'Warning', 'FailedScheduling', 'no room');
    rec.event(pod, 'Normal', 'Scheduled', 'placed');
    await rec.flush();
    const events = (await core.client.list(R.events, { namespace: 'default' })).items as unknown as Array<Event & KObject>;
    const failed = events.filter((e) => e.reason === 'FailedScheduling');
    expect(failed.length).toBe(1);
    expect(failed[0]).toMatchObject({ count: 3, type: 'Warning', message: 'no room', source: { component: 'test-controller' }, involvedObject: { kind: 'ConfigMap', name: 'x', namespace: 'default', uid: (pod.metadata as { uid?: string }).uid } });
    expect(events.filter((e) => e.reason === 'Scheduled').length).toBe(1);
    rec.stop();
  });

  it('records events about cluster-scoped objects (no namespace in the reference; the Event goes to default)', async () => {
    const ns = await core.client.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ev-cluster-scoped' } });
    const rec = new EventRecorder(core.client, { component: 'test-controller' });
    rec.event(ns, 'Normal', 'Seen', 'a cluster-scoped object');
    await rec.flush();
    const events = (await core.client.list(R.events, { namespace: 'default' })).items as unknown as Array<Event & KObject>;
    const e = events.find((x) => x.reason === 'Seen');
    expect(e?.involvedObject).toEqual({ kind: 'Namespace', apiVersion: 'v1', name: 'ev-cluster-scoped', uid: (ns.metadata as { uid?: string }).uid, resourceVersion: (ns.metadata as { resourceVersion?: string }).resourceVersion });
    rec.stop();
  });
});
