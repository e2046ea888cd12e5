// @vitest-environment happy-dom
// Escape closes the drawer wherever focus is: also after a focused button inside it disappeared
// (focus falls back to the page body), but not while a dialog above it handles Escape itself.
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { defineComponent, h, ref } from 'vue';
import DetailDrawer from '../../../renderer/src/components/DetailDrawer.vue';
import ModalDialog from '../../../renderer/src/components/ModalDialog.vue';

function escape(target: EventTarget = document.activeElement ?? document.body): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
}

describe('DetailDrawer', () => {
  it('closes on Escape after the focused button inside it went away', async () => {
    const shown = ref(true);
    const Host = defineComponent({
      emits: ['close'],
      setup(_, { emit }) {
        return () => h(DetailDrawer, { label: 'Node details', onClose: () => emit('close') }, () => (shown.value ? h('button', { class: 'confirm', onClick: () => (shown.value = false) }, 'Remove n1') : h('p', 'removed')));
      },
    });
    const w = mount(Host, { attachTo: document.body });
    const button = w.find('button.confirm');
    (button.element as HTMLButtonElement).focus();
    await button.trigger('click');
    expect(w.find('button.confirm').exists()).toBe(false);
    escape(document.body);
    expect(w.emitted('close')).toHaveLength(1);
    w.unmount();
  });

  it('closes on Escape from inside, once', async () => {
    const w = mount(DetailDrawer, { props: { label: 'Pod details' }, slots: { default: () => h('input', { class: 'field' }) }, attachTo: document.body });
    (w.find('input.field').element as HTMLInputElement).focus();
    escape();
    expect(w.emitted('close')).toHaveLength(1);
    w.unmount();
  });

  it('leaves Escape to a dialog open above it, and stops listening once gone', async () => {
    const drawer = mount(DetailDrawer, { props: { label: 'Node details' }, attachTo: document.body });
    const dialog = mount(ModalDialog, { props: { title: 'Confirm' }, slots: { default: () => h('button', { class: 'ok' }, 'OK') }, attachTo: document.body });
    await dialog.vm.$nextTick();
    escape(dialog.find('button.ok').element);
    expect(dialog.emitted('close')).toHaveLength(1);
    expect(drawer.emitted('close')).toBeUndefined();
    dialog.unmount();
    drawer.unmount();
    escape(document.body);
    expect(drawer.emitted('close')).toBeUndefined();
  });
});
