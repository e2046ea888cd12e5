// The window's keyboard shortcuts (lib/shortcuts.ts says which key is which): one keydown listener
// for the component's lifetime, handing each recognised press to `on`.
import { onBeforeUnmount, onMounted } from 'vue';
import { isTypingTarget, shortcutFor } from '../lib/shortcuts';
import type { ShortcutHit } from '../lib/shortcuts';

export function useShortcuts(on: (hit: ShortcutHit) => boolean | void): void {
  const listener = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return;
    // A modal dialog (add node, deploy) keeps its keys, except the palette's own.
    const modal = document.querySelector('[role=dialog][aria-modal=true]');
    const hit = shortcutFor(e, isTypingTarget(document.activeElement) || modal !== null);
    if (!hit) return;
    if (on(hit) !== false) e.preventDefault();
  };
  onMounted(() => document.addEventListener('keydown', listener));
  onBeforeUnmount(() => document.removeEventListener('keydown', listener));
}
