// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import MachineCard from '../../../renderer/src/components/MachineCard.vue';
import { machine } from './fixtures';

describe('MachineCard', () => {
  it('shows provisioning steps live', async () => {
    const w = mount(MachineCard, { props: { machine: machine('m1', 'Provisioning', { progress: { step: 2, total: 5, message: 'starting containerd' } }) } });
    expect(w.find('[data-test=phase]').text()).toBe('Provisioning');
    expect(w.text()).toContain('Step 2 of 5');
    expect(w.text()).toContain('starting containerd');
    expect(w.find('[role=progressbar]').attributes('aria-valuenow')).toBe('2');
    await w.setProps({ machine: machine('m1', 'Bootstrapping', { progress: { step: 4, total: 5, message: 'waiting for the node to be Ready' } }) });
    expect(w.text()).toContain('Step 4 of 5');
    expect(w.find('button.primary').exists()).toBe(false);
  });

  it('shows a failure with its reason and offers retry and remove', async () => {
    const w = mount(MachineCard, { props: { machine: machine('m2', 'Failed', { message: 'containerd did not start: exit 1' }) } });
    expect(w.find('[role=alert]').text()).toBe('containerd did not start: exit 1');
    await w.find('button.primary').trigger('click');
    await w.findAll('button').at(-1)?.trigger('click');
    expect(w.emitted('retry')).toEqual([['m2']]);
    expect(w.emitted('remove')).toEqual([['m2']]);
  });

  it('waits for the controller when there is no status yet', () => {
    const w = mount(MachineCard, { props: { machine: { ...machine('m3', 'Pending'), status: undefined } } });
    expect(w.find('[data-test=phase]').text()).toBe('Pending');
    expect(w.text()).toContain('Waiting for the machine controller');
  });

  it('shows a machine being deleted as being removed, with what its controller is doing, and no Cancel', async () => {
    const m = machine('m4', 'Deleting', { message: 'draining node m4', progress: { step: 8, total: 8, message: 'ready' }, conditions: [{ type: 'NodeReady', status: 'True', message: 'node m4 is Ready' }] });
    const w = mount(MachineCard, { props: { machine: { ...m, metadata: { ...m.metadata, deletionTimestamp: '2026-01-01T00:01:00Z' } } } });
    expect(w.find('[data-test=phase]').text()).toBe('Deleting');
    expect(w.find('[data-test=machine-message]').text()).toBe('Removing m4: draining node m4');
    expect(w.text()).not.toContain('Step 8 of 8');
    expect(w.text()).not.toContain('ready');
    expect(w.findAll('button')).toHaveLength(0);
    expect(w.find('.conds').exists()).toBe(false);
    expect(w.find('[role=progressbar]').attributes('aria-label')).toBe('Removing m4');
    // Deleted, before its controller has written anything about it: no stale provisioning step either.
    const running = machine('m5', 'Running', { message: 'node m5 is Ready', progress: { step: 8, total: 8, message: 'ready' } });
    await w.setProps({ machine: { ...running, metadata: { ...running.metadata, deletionTimestamp: '2026-01-01T00:01:00Z' } } });
    expect(w.find('[data-test=machine-message]').text()).toBe('Removing m5');
  });

  it('turns its buttons off without a connection', () => {
    const w = mount(MachineCard, { props: { machine: machine('m6', 'Failed', { message: 'boom' }), offline: true } });
    expect(w.findAll('button').map((b) => (b.element as HTMLButtonElement).disabled)).toEqual([true, true]);
  });
});
