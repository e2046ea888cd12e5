// @vitest-environment happy-dom
// Notices never pile up: every one fades (errors after longer), a repeated one is counted, not
// stacked, at most a few show, ✕ closes one, and none fades while it is being read.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import NoticeList from '../../../renderer/src/components/NoticeList.vue';
import { MAX_NOTICES, NOTICE_MS, useNoticesStore } from '../../../renderer/src/stores/notices';

beforeEach(() => {
  setActivePinia(createPinia());
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('notices', () => {
  it('dismisses errors on their own after a few seconds', async () => {
    const n = useNoticesStore();
    n.error('Could not scale hello', 'lost the connection');
    n.success('Deployed hello');
    await vi.advanceTimersByTimeAsync(NOTICE_MS.success);
    expect(n.notices.map((x) => x.title)).toEqual(['Could not scale hello']);
    await vi.advanceTimersByTimeAsync(NOTICE_MS.error - NOTICE_MS.success);
    expect(n.notices).toEqual([]);
    expect(NOTICE_MS.error).toBeLessThanOrEqual(15_000);
  });

  it('counts an identical notice instead of stacking it, and restarts its time', async () => {
    const n = useNoticesStore();
    const w = mount(NoticeList);
    n.error('Could not scale hello', 'lost the connection');
    await vi.advanceTimersByTimeAsync(NOTICE_MS.error - 1000);
    n.error('Could not scale hello', 'lost the connection');
    n.error('Could not scale hello', 'lost the connection');
    await w.vm.$nextTick();
    expect(w.findAll('[data-test=notice]')).toHaveLength(1);
    expect(w.find('[data-test=notice-count]').text()).toBe('×3');
    await vi.advanceTimersByTimeAsync(2000);
    expect(n.notices).toHaveLength(1);
    n.error('Could not scale hello', 'another reason');
    expect(n.notices).toHaveLength(2);
    w.unmount();
  });

  it('shows at most a few, keeping errors before successes', () => {
    const n = useNoticesStore();
    for (let i = 0; i < 6; i++) n.error(`Could not do ${i}`);
    n.success('Deployed hello');
    expect(n.notices).toHaveLength(MAX_NOTICES);
    expect(n.notices.map((x) => x.title)).toEqual(['Could not do 4', 'Could not do 5', 'Deployed hello']);
  });

  it('closes one with its button, and keeps one while the pointer is on it', async () => {
    const n = useNoticesStore();
    const w = mount(NoticeList);
    n.error('first');
    n.error('second');
    await w.vm.$nextTick();
    await w.findAll('[data-test=notice]')[0].find('button[aria-label=Dismiss]').trigger('click');
    expect(n.notices.map((x) => x.title)).toEqual(['second']);
    await w.find('[data-test=notice]').trigger('mouseenter');
    await vi.advanceTimersByTimeAsync(NOTICE_MS.error * 3);
    expect(n.notices.map((x) => x.title)).toEqual(['second']);
    await w.find('[data-test=notice]').trigger('mouseleave');
    await vi.advanceTimersByTimeAsync(NOTICE_MS.error);
    expect(n.notices).toEqual([]);
    w.unmount();
  });
});
