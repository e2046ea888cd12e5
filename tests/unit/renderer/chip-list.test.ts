// The map's chips kept by hand: the first set written at once, later sets patching only changed chips and keeping the
// others' elements (focus survives), moving and removing by key; names with markup stay text; a click finds its chip.
// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { chipList } from '../../../renderer/src/lib/chip-list';
import { podChip, type ChipGrouping } from '../../../renderer/src/lib/pod-chip';
import { appColour, appOf, type OwnerIndex } from '../../../renderer/src/lib/app-groups';
import { pod } from './fixtures';

const index: OwnerIndex = { replicaSet: () => undefined, job: () => undefined };
const grouping: ChipGrouping = { appOf: (p) => appOf(p, index), colour: appColour };
const chip = (name: string, phase = 'Running') => podChip(pod(name, 'n1', phase), grouping, 0);
const buttons = (ul: HTMLElement) => [...ul.querySelectorAll('button')];

describe('chip list', () => {
  it('writes chips, then patches, moves, adds and removes by key, keeping unchanged elements', () => {
    const ul = document.createElement('ul');
    const list = chipList(ul);
    list.update([chip('a'), chip('b'), chip('c', 'Pending')], undefined);
    expect(buttons(ul).map((b) => [b.dataset.pod, b.dataset.state])).toEqual([['a', 'ready'], ['b', 'ready'], ['c', 'pending']]);
    const [a, b] = buttons(ul);
    expect(a.getAttribute('aria-label')).toBe('Pod a — Running, standalone pods');
    expect(a.className).toBe('chip chip-ready c10');

    list.update([chip('c'), chip('a', 'Pending'), chip('d')], 'default/Standalone/standalone');
    expect(buttons(ul).map((x) => [x.dataset.pod, x.dataset.state])).toEqual([['c', 'ready'], ['a', 'pending'], ['d', 'ready']]);
    expect(buttons(ul)[1]).toBe(a);
    expect(buttons(ul).includes(b)).toBe(false);
    expect(a.className).toBe('chip chip-pending c10 lit');
    expect(ul.children).toHaveLength(3);
  });

  it('keeps markup in names as text and finds the chip a click hit', () => {
    const ul = document.createElement('ul');
    const list = chipList(ul);
    const odd = chip('x"><b>y');
    list.update([odd], undefined);
    expect(ul.querySelector('b')).toBeNull();
    expect(buttons(ul)[0].dataset.pod).toBe('x"><b>y');
    expect(list.chipAt(buttons(ul)[0])).toBe(odd);
    expect(list.chipAt(ul)).toBeUndefined();
  });

  it('makes a pod\'s chip once per object and grouping generation', () => {
    const p = pod('a', 'n1', 'Running');
    expect(podChip(p, grouping, 0)).toBe(podChip(p, grouping, 0));
    expect(podChip(p, grouping, 1)).not.toBe(podChip(p, grouping, 0));
    expect(podChip({ ...p }, grouping, 1)).not.toBe(podChip(p, grouping, 1));
  });
});
