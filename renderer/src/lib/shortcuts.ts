// The keyboard shortcuts, listed once: the help overlay shows this list and
// `composables/useShortcuts.ts` acts on it. Pure.

export type ShortcutId = 'palette' | 'search' | 'help' | 'sidebar' | 'view' | 'close';

export interface Shortcut {
  id: ShortcutId;
  /** Keys as shown, e.g. ['Ctrl', 'K']. */
  keys: string[];
  does: string;
}

export function shortcutList(mac: boolean): Shortcut[] {
  const mod = mac ? '⌘' : 'Ctrl';
  return [
    { id: 'palette', keys: [mod, 'K'], does: 'Go to any object or action (command palette)' },
    { id: 'search', keys: ['/'], does: 'Search pods and workloads by name, label (key=value) or image' },
    { id: 'view', keys: ['1', '…', '9'], does: 'Switch to the sidebar\'s first, second, … view' },
    { id: 'sidebar', keys: ['['], does: 'Collapse or expand the sidebar' },
    { id: 'help', keys: ['?'], does: 'Show this list' },
    { id: 'close', keys: ['Esc'], does: 'Close the palette, this list or the details panel' },
  ];
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export interface ShortcutHit {
  id: ShortcutId;
  /** For 'view': which one, from 0. */
  index?: number;
}

const PLAIN: Record<string, ShortcutId> = { '/': 'search', '?': 'help', '[': 'sidebar' };

/** Which shortcut a key press is, if any. `typing`: focus is in a text field (only the palette works there). */
export function shortcutFor(e: KeyLike, typing: boolean): ShortcutHit | undefined {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') return { id: 'palette' };
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return undefined;
  if (/^[1-9]$/.test(e.key)) return { id: 'view', index: Number(e.key) - 1 };
  const id = PLAIN[e.key];
  return id ? { id } : undefined;
}

/** Whether an element takes typed text (then single-key shortcuts must not fire). */
export function isTypingTarget(el: { tagName?: string; isContentEditable?: boolean; getAttribute?: (n: string) => string | null } | null): boolean {
  if (!el) return false;
  const tag = (el.tagName ?? '').toLowerCase();
  if (tag === 'textarea' || tag === 'select' || el.isContentEditable) return true;
  if (tag !== 'input') return el.getAttribute?.('role') === 'textbox';
  const type = (el.getAttribute?.('type') ?? 'text').toLowerCase();
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}
