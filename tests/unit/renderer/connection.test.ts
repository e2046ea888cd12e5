// @vitest-environment happy-dom
// Losing the connection is plain to see: a banner, greyed data, actions off (and nothing sent if
// one slips through); when it is back all of that goes away and a lost log stream starts again.
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { effectScope, ref } from 'vue';
import type { KObject } from '../../../main/api/types';
import type { Kind } from '../../../main/bridge/contract';
import { setTransport } from '../../../renderer/src/bridge/client';
import App from '../../../renderer/src/App.vue';
import { useActions } from '../../../renderer/src/composables/useActions';
import { useLogStream } from '../../../renderer/src/composables/useLogStream';
import { useNoticesStore } from '../../../renderer/src/stores/notices';
import { informerTransport, type FakeTransport } from './fake-transport';
import { node } from './fixtures';

let t: FakeTransport;
let lists: Partial<Record<Kind, KObject[]>>;

beforeEach(() => {
  setActivePinia(createPinia());
  lists = { nodes: [node('n1')] };
  t = informerTransport(() => lists);
  t.handle('scale', () => ({}) as never);
  let n = 0;
  t.handle('logs', () => ({ streamId: `s${++n}` }));
  t.handle('stopLogs', () => null);
  setTransport(t);
});

describe('a lost connection', () => {
  it('shows a banner, greys the data and turns the actions off, until it is back', async () => {
    const w = mount(App, { attachTo: document.body });
    await flushPromises();
    const addNode = () => w.find('[data-test=add-node]').element as HTMLButtonElement;
    expect(w.find('[data-test=disconnected]').exists()).toBe(false);
    expect(addNode().disabled).toBe(false);
    expect(w.findAll('[data-app] button').every((b) => !(b.element as HTMLButtonElement).disabled)).toBe(true);

    t.setStatus('reconnecting');
    await flushPromises();
    const banner = w.find('[data-test=disconnected]');
    expect(banner.exists()).toBe(true);
    expect(banner.attributes('role')).toBe('alert');
    expect(banner.text()).toMatch(/Lost the connection to Flotilla at \d\d:\d\d:\d\d/);
    expect(banner.text()).toContain('actions are off');
    expect(w.find('.app').classes()).toContain('offline');
    expect(w.find('[data-test=connection]').text()).toBe('Reconnecting…');
    expect(addNode().disabled).toBe(true);
    expect(w.findAll('[data-app] button').every((b) => (b.element as HTMLButtonElement).disabled)).toBe(true);
    expect(w.find('[data-app]').attributes('draggable')).toBe('false');

    t.setStatus('open');
    await flushPromises();
    expect(w.find('[data-test=disconnected]').exists()).toBe(false);
    expect(w.find('.app').classes()).not.toContain('offline');
    expect(addNode().disabled).toBe(false);
    w.unmount();
  });

  it('sends no action while disconnected, and says so', async () => {
    const actions = useActions();
    t.setStatus('reconnecting');
    expect(await actions.scale('default', 'hello', 3)).toBeUndefined();
    expect(t.callsOf('scale')).toEqual([]);
    expect(useNoticesStore().notices[0]).toMatchObject({ kind: 'error', title: 'Could not scale hello', detail: expect.stringContaining('nothing was sent') as unknown });
    t.setStatus('open');
    await actions.scale('default', 'hello', 3);
    expect(t.callsOf('scale')).toHaveLength(1);
  });

  it('starts a log stream again once the connection is back', async () => {
    const scope = effectScope();
    const s = scope.run(() => useLogStream(ref({ namespace: 'default', pod: 'p' })))!;
    await flushPromises();
    t.emit('log', { streamId: 's1', lines: ['before'] });
    t.setStatus('reconnecting');
    t.setStatus('open');
    await flushPromises();
    expect(t.callsOf('logs')).toHaveLength(2);
    t.emit('log', { streamId: 's2', lines: ['after'] });
    expect(s.lines.value).toEqual(['after']);
    scope.stop();
  });
});
