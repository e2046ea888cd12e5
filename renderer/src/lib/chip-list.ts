// The DOM of a node's pod chips, kept by hand: a map shows up to 10,000 of them, and building each through Vue's
// renderer (a vnode, a patch per attribute, a listener per chip, the scoped-style attribute) cost seconds. The first
// set is written as one HTML string (the browser's parser builds it natively); later sets patch only the chips whose
// pod changed, keep the others' elements (focus and hover survive updates) and move or remove by key. Clicks are
// handled once on the list (`chipAt`). Each chip is `<li><button class="chip chip-<state> [c<colour>] [lit]" …>`.
import type { PodChip } from './pod-chip';

const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };
const escape = (s: string): string => s.replace(/[&"<>]/g, (c) => ESCAPES[c]);

function className(c: PodChip, selected: string | undefined): string {
  return `chip chip-${c.state}${c.colour === undefined ? '' : ` c${c.colour}`}${selected !== undefined && selected === c.app ? ' lit' : ''}`;
}

/** The attributes of a chip's button, in the order they are written. */
function attributes(c: PodChip, selected: string | undefined): Array<[string, string]> {
  return [
    ['class', className(c, selected)], ['data-key', c.key], ['data-pod', c.name], ['data-state', c.state], ['data-status', c.status],
    ['data-app-name', c.appName], ['data-tip', c.tip], ['aria-label', `Pod ${c.label}`],
  ];
}

function html(c: PodChip, selected: string | undefined): string {
  return `<li><button type="button" ${attributes(c, selected).map(([k, v]) => `${k}="${escape(v)}"`).join(' ')}></button></li>`;
}

export interface ChipList {
  /** Shows these chips, in this order, with the selected app's lit. */
  update(chips: readonly PodChip[], selected: string | undefined): void;
  /** The chip whose button (or something in it) an event hit. */
  chipAt(target: EventTarget | null): PodChip | undefined;
}

interface Shown {
  li: HTMLLIElement;
  button: HTMLButtonElement;
  chip: PodChip;
  selected: string | undefined;
}

/** A chip list that owns `list`'s children. */
export function chipList(list: HTMLElement): ChipList {
  let shown = new Map<string, Shown>();

  const patch = (s: Shown, c: PodChip, selected: string | undefined) => {
    if (s.chip === c && s.selected === selected) return;
    const before = new Map(attributes(s.chip, s.selected));
    for (const [k, v] of attributes(c, selected)) if (before.get(k) !== v) s.button.setAttribute(k, v);
    s.chip = c;
    s.selected = selected;
  };

  const firstFill = (chips: readonly PodChip[], selected: string | undefined) => {
    list.innerHTML = chips.map((c) => html(c, selected)).join('');
    const items = list.children;
    for (let i = 0; i < chips.length; i++) {
      const li = items[i] as HTMLLIElement;
      shown.set(chips[i].key, { li, button: li.firstElementChild as HTMLButtonElement, chip: chips[i], selected });
    }
  };

  return {
    update(chips, selected) {
      if (shown.size === 0) {
        firstFill(chips, selected);
        return;
      }
      const next = new Map<string, Shown>();
      let cursor = list.firstElementChild;
      for (const c of chips) {
        let s = shown.get(c.key);
        if (s) patch(s, c, selected);
        else {
          const t = document.createElement('template');
          t.innerHTML = html(c, selected);
          const li = t.content.firstElementChild as HTMLLIElement;
          s = { li, button: li.firstElementChild as HTMLButtonElement, chip: c, selected };
        }
        next.set(c.key, s);
        if (s.li === cursor) cursor = cursor.nextElementSibling;
        else list.insertBefore(s.li, cursor);
      }
      for (const [key, s] of shown) if (!next.has(key)) s.li.remove();
      shown = next;
    },
    chipAt(target) {
      const button = target instanceof Element ? target.closest('button[data-key]') : null;
      return button && list.contains(button) ? shown.get(button.getAttribute('data-key') ?? '')?.chip : undefined;
    },
  };
}
