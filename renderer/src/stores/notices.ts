// Messages for the person: errors stay until dismissed, successes fade after a few seconds.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface Notice {
  id: number;
  kind: 'error' | 'success' | 'info';
  title: string;
  detail?: string;
}

const SUCCESS_MS = 4000;
/** At most this many at once: the newest, errors kept before successes. */
const MAX = 3;

export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([]);
  let seq = 0;

  function push(kind: Notice['kind'], title: string, detail?: string): number {
    const id = ++seq;
    const all = [...notices.value, { id, kind, title, detail }];
    while (all.length > MAX) {
      const i = all.findIndex((n) => n.kind !== 'error');
      all.splice(i >= 0 && i < all.length - 1 ? i : 0, 1);
    }
    notices.value = all;
    if (kind !== 'error') setTimeout(() => dismiss(id), SUCCESS_MS);
    return id;
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  return { notices, push, dismiss, error: (t: string, d?: string) => push('error', t, d), success: (t: string, d?: string) => push('success', t, d), info: (t: string, d?: string) => push('info', t, d) };
});
