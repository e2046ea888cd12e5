// The app's parts loaded on first use (views, drawers, the YAML editor): a part whose code fails to load (the server
// of the web UI restarting, a dropped connection) is fetched again a few times before it gives up, and then says so
// in its place with a way out, instead of leaving an empty panel that nothing fills.
import { defineAsyncComponent } from 'vue';
import type { Component } from 'vue';
import LoadFailed from '../components/LoadFailed.vue';

/** Further attempts after a failed load, and the wait before each (ms, times the attempt's number). */
const LOAD_RETRIES = 3;
const LOAD_RETRY_MS = 400;

export function lazyComponent<T extends Component>(loader: () => Promise<T | { default: T }>): T {
  return defineAsyncComponent<T>({
    loader,
    errorComponent: LoadFailed,
    onError(error, retry, fail, attempts) {
      if (attempts <= LOAD_RETRIES) {
        setTimeout(retry, LOAD_RETRY_MS * attempts);
        return;
      }
      console.error('flotilla: a part of the UI failed to load', error);
      fail();
    },
  });
}
