// events.k8s.io/v1 Event with real kubectl: the same stored events as core/v1, with Kubernetes' field mapping
// (note/regarding/reportingController/deprecated*), strict validation of events.k8s.io creates, field selectors
// in the group's own labels, watch and merge patch in both groups, and `kubectl events`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { R } from '../../../main/client/refs';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { rawWatch } from '../../helpers/raw-watch';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
});
afterAll(async () => {
  await c?.stop();
});

const EVENT_TIME = '2026-12-03T06:00:00.000000Z';

function eventsV1Yaml(name: string, extra = ''): string {
  return `apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: ${name}, namespace: default}
eventTime: "${EVENT_TIME}"
reportingController: example.com/tester
reportingInstance: tester-1
action: Testing
reason: Tested
type: Normal
note: written through events.k8s.io
regarding: {apiVersion: v1, kind: Pod, name: web, namespace: default}
${extra}`;
}

function json<T = Record<string, unknown>>(s: string): T {
  return JSON.parse(s) as T;
}

describe('events.k8s.io/v1 Event', () => {
  it('is discovered with its short name beside core events', async () => {
    const out = await c.kubectlOk(['api-resources', '--api-group=events.k8s.io', '--no-headers']);
    expect(out).toMatch(/^events\s+ev\s+events\.k8s\.io\/v1\s+true\s+Event$/m);
  });

  it('an event created through events.k8s.io is a core/v1 event, and a core event reads back in events.k8s.io', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: eventsV1Yaml('via-events') });
    const core = json<Record<string, unknown>>(await c.kubectlOk(['get', 'events.v1.', 'via-events', '-o', 'json']));
    expect(core).toMatchObject({
      apiVersion: 'v1', kind: 'Event', message: 'written through events.k8s.io', reportingComponent: 'example.com/tester',
      reportingInstance: 'tester-1', action: 'Testing', reason: 'Tested', involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
    });
    expect(core).not.toHaveProperty('note');
    expect(await c.kubectlOk(['get', 'events'])).toMatch(/Normal\s+Tested\s+pod\/web\s+written through events\.k8s\.io/);

    await c.core.client.create(R.events, {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'via-core', namespace: 'default' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Pulled', message: 'image pulled',
      source: { component: 'kubelet', host: 'n1' }, count: 3, firstTimestamp: '2026-12-03T05:00:00Z', lastTimestamp: '2026-12-03T05:10:00Z', type: 'Normal',
    });
    const v1 = json(await c.kubectlOk(['get', 'events.v1.events.k8s.io', 'via-core', '-o', 'json']));
    expect(v1).toMatchObject({
      apiVersion: 'events.k8s.io/v1', kind: 'Event', note: 'image pulled', regarding: { kind: 'Pod', name: 'web' },
      deprecatedSource: { component: 'kubelet', host: 'n1' }, deprecatedCount: 3,
      deprecatedFirstTimestamp: '2026-12-03T05:00:00Z', deprecatedLastTimestamp: '2026-12-03T05:10:00Z',
    });
    expect(v1).not.toHaveProperty('message');
    expect(v1).not.toHaveProperty('involvedObject');
    const list = json<{ apiVersion: string; items: Array<{ metadata: { name: string } }> }>(
      await c.kubectlOk(['get', 'events.events.k8s.io', '-o', 'json']),
    );
    expect(list.items.map((i) => i.metadata.name).sort()).toEqual(['via-core', 'via-events']);
  });

  it('refuses an events.k8s.io create that breaks its stricter rules, with Kubernetes\' field paths', async () => {
    const bad = await c.kubectl(['create', '-f', '-'], { input: eventsV1Yaml('bad', 'deprecatedCount: 2\nseries: {count: 1}\n').replace('type: Normal', 'type: Odd') });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('The Event "bad" is invalid');
    expect(bad.stderr).toContain('series.count: Invalid value: "": should be at least 2');
    expect(bad.stderr).toContain('series.lastObservedTime: Required value');
    expect(bad.stderr).toContain('type: Invalid value: "": has invalid value: Odd');
    expect(bad.stderr).toContain('count: Invalid value: "": needs to be unset');
    // core/v1 takes the same kind of object without those rules.
    await c.core.client.create(R.events, {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'lenient', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
      count: 2, type: 'Odd',
    });
    const noTime = await c.kubectl(['create', '-f', '-'], { input: eventsV1Yaml('no-time').replace(/^eventTime: .*$/m, '') });
    expect(noTime.stderr).toContain('eventTime: Required value');
  });

  it('selects by its own field labels and refuses the core ones', async () => {
    const byRegarding = await c.kubectlOk(['get', 'events.events.k8s.io', '--field-selector', 'regarding.name=web,reportingController=example.com/tester', '-o', 'name']);
    expect(byRegarding.trim().split('\n')).toEqual(['event.events.k8s.io/via-events']);
    const core = await c.kubectl(['get', 'events.events.k8s.io', '--field-selector', 'involvedObject.name=web']);
    expect(core.code).not.toBe(0);
    expect(core.stderr).toContain('field label not supported: involvedObject.name');
    expect(await c.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'name'])).toContain('event/via-events');
  });

  it('watches in both groups see a write in either, each in its own version', async () => {
    const v1Watch = rawWatch(c, `/apis/events.k8s.io/v1/namespaces/default/events?watch=true&resourceVersion=${c.core.store.revision}`);
    const coreWatch = rawWatch(c, `/api/v1/namespaces/default/events?watch=true&resourceVersion=${c.core.store.revision}`);
    try {
      await v1Watch.response;
      await coreWatch.response;
      await c.kubectlOk(['create', '-f', '-'], { input: eventsV1Yaml('watched') });
      const seen = await waitFor(() => v1Watch.events.find((e) => e.object.metadata?.name === 'watched'), 'events.k8s.io watch event', 10_000);
      expect(seen.type).toBe('ADDED');
      expect(seen.object).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'written through events.k8s.io' });
      const seenCore = await waitFor(() => coreWatch.events.find((e) => e.object.metadata?.name === 'watched'), 'core watch event', 10_000);
      expect(seenCore.object).toMatchObject({ apiVersion: 'v1', message: 'written through events.k8s.io' });
    } finally {
      v1Watch.close();
      coreWatch.close();
    }
  });

  it('a merge patch through events.k8s.io (the events recorder\'s series update) changes the stored event', async () => {
    await c.kubectlOk([
      'patch', 'events.events.k8s.io', 'via-events', '--type=merge', '-p', `{"series":{"count":2,"lastObservedTime":"${EVENT_TIME}"}}`,
    ]);
    const core = json<{ series?: { count?: number } }>(await c.kubectlOk(['get', 'events.v1.', 'via-events', '-o', 'json']));
    expect(core.series?.count).toBe(2);
    const immutable = await c.kubectl(['patch', 'events.events.k8s.io', 'via-events', '--type=merge', '-p', '{"note":"changed"}']);
    expect(immutable.code).not.toBe(0);
    expect(immutable.stderr).toContain('message: Invalid value: "changed": field is immutable');
  });

  it('kubectl events lists them', async () => {
    const out = await c.kubectlOk(['events']);
    expect(out.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(out).toMatch(/Normal\s+Pulled\s+Pod\/web\s+image pulled/);
    expect(out).toMatch(/Normal\s+Tested\s+Pod\/web\s+written through events\.k8s\.io/);
  });
});
