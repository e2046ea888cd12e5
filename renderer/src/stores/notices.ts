// Messages for the person, in the corner: each fades after a few seconds (errors stay longer, and
// none fades while the pointer or focus is on it), can be closed, an identical one repeated is
// counted instead of stacked, and at most a few show at once.
import { defineStore } from 'pinia';
import { ref } from 'vue';

/** A button on a notice (e.g. "Open pod"); the notice closes when it is used. */
export interface NoticeAction {
  label: string;
  run: () => void;
}

export interface Notice {
  id: number;
  kind: 'error' | 'success' | 'info';
  title: string;
  detail?: string;
  /** How many times this same message came (shown as "×N" above 1). */
  count: number;
  action?: NoticeAction;
}

export const NOTICE_MS: Record<Notice['kind'], number> = { success: 4000, info: 6000, error: 10000 };
/** At most this many at once: the newest, errors kept before successes. */
export const MAX_NOTICES = 3;

export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([]);
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  const held = new Set<number>();
  let seq = 0;

  function schedule(n: Notice): void {
    clearTimeout(timers.get(n.id));
    timers.delete(n.id);
    if (!held.has(n.id)) timers.set(n.id, setTimeout(() => dismiss(n.id), NOTICE_MS[n.kind]));
  }

  function push(kind: Notice['kind'], title: string, detail?: string, action?: NoticeAction): number {
    const same = notices.value.find((n) => n.kind === kind && n.title === title && n.detail === detail);
    const notice: Notice = same ? { ...same, count: same.count + 1 } : { id: ++seq, kind, title, detail, count: 1, action };
    const all = [...notices.value.filter((n) => n !== same), notice];
    while (all.length > MAX_NOTICES) {
      const i = all.findIndex((n) => n.kind !== 'error');
      const [gone] = all.splice(i >= 0 && i < all.length - 1 ? i : 0, 1);
      forget(gone.id);
    }
    notices.value = all;
    schedule(notice);
    return notice.id;
  }

  function forget(id: number): void {
    clearTimeout(timers.get(id));
    timers.delete(id);
    held.delete(id);
  }

  function dismiss(id: number): void {
    forget(id);
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  /** The person is reading it (pointer or focus on it): it stays until released. */
  function hold(id: number): void {
    held.add(id);
    clearTimeout(timers.get(id));
    timers.delete(id);
  }

  function release(id: number): void {
    held.delete(id);
    const n = notices.value.find((x) => x.id === id);
    if (n) schedule(n);
  }

  return {
    notices, push, dismiss, hold, release,
    error: (t: string, d?: string) => push('error', t, d),
    success: (t: string, d?: string) => push('success', t, d),
    info: (t: string, d?: string) => push('info', t, d),
  };
});
