// The History view's data: the store's history window (refreshed every few seconds while shown), the revision
// picked on the slider and the cluster as it was then (loaded once the slider rests), and the compaction interval.
// Everything here only reads: the snapshots are lists at an Exact revision.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { HistorySnapshot, HistoryWindow } from '../../../main/bridge/contract';
import { call, errorMessage } from '../bridge/client';

const WINDOW_REFRESH_MS = 5000;
/** The slider loads the revision it rests on this long after the last move. */
const SETTLE_MS = 200;

export const useHistoryStore = defineStore('history', () => {
  const window = ref<HistoryWindow | undefined>();
  /** The revision chosen (undefined: none yet — the view starts at the current one). */
  const revision = ref<number | undefined>();
  /** At the current revision and staying there as the cluster changes (until a past one is picked). */
  const following = ref(true);
  const snapshot = ref<HistorySnapshot | undefined>();
  const loading = ref(false);
  const error = ref<string | undefined>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let settle: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;

  async function refreshWindow(): Promise<void> {
    try {
      const w = await call('historyWindow', null);
      const moved = w.current !== window.value?.current;
      window.value = w;
      if (following.value) {
        if (moved || revision.value === undefined) pick(w.current, true);
      } else if (revision.value !== undefined && revision.value < w.oldest) {
        pick(w.oldest, true);
      }
      error.value = undefined;
    } catch (e) {
      error.value = errorMessage(e);
    }
  }

  async function load(rev: number): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      const s = await call('historyAt', { revision: rev });
      if (mine !== seq) return;
      snapshot.value = s;
      error.value = undefined;
    } catch (e) {
      if (mine !== seq) return;
      error.value = errorMessage(e);
      // Compacted meanwhile: the window moved on.
      void refreshWindow();
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  /** Picks a revision; `now` loads it at once, otherwise once the slider rests. */
  function pick(rev: number, now = false): void {
    revision.value = rev;
    following.value = rev >= (window.value?.current ?? rev);
    if (settle) clearTimeout(settle);
    if (now) void load(rev);
    else settle = setTimeout(() => void load(rev), SETTLE_MS);
  }

  async function setIntervalMs(ms: number): Promise<void> {
    window.value = await call('setCompactionInterval', { intervalMs: ms });
  }

  /** Starts the window's refresh and shows the current revision first; returns the stopper. */
  function start(): () => void {
    void refreshWindow();
    timer ??= setInterval(() => void refreshWindow(), WINDOW_REFRESH_MS);
    return () => {
      if (timer) clearInterval(timer);
      if (settle) clearTimeout(settle);
      timer = undefined;
    };
  }

  /** Back to the current revision, following it from now on. */
  async function toNow(): Promise<void> {
    following.value = true;
    await refreshWindow();
    if (window.value) pick(window.value.current, true);
  }

  return { window, revision, following, snapshot, loading, error, start, pick, toNow, refreshWindow, setIntervalMs };
});
