// The control plane's port forwards, as a list kept current by 'forwards' events (listed again after a reconnect,
// since the forwards outlive the connection); "Open" makes (or reuses) a forward and opens its URL in the browser.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ForwardTarget, PortForward } from '../../../main/api/port-forward';
import { call, errorMessage, onEvent, onStatus } from '../bridge/client';
import { useNoticesStore } from './notices';
import { describeTarget } from '../lib/forwards';

/** Opens a URL outside the app: a new browser tab in web mode; in Electron the main process hands it to the system browser. */
export function openInBrowser(url: string): void {
  window.open(url, '_blank', 'noopener');
}

export const useForwardsStore = defineStore('forwards', () => {
  const items = ref<PortForward[]>([]);
  const error = ref<string>();
  const notices = useNoticesStore();
  const disposers: Array<() => void> = [];

  async function refresh(): Promise<void> {
    try {
      items.value = await call('forwards', null);
      error.value = undefined;
    } catch (e) {
      error.value = errorMessage(e);
    }
  }

  function start(): () => void {
    if (disposers.length === 0) {
      disposers.push(onEvent('forwards', (p) => (items.value = p.forwards)));
      disposers.push(onStatus((s) => { if (s === 'open') void refresh(); }));
      void refresh();
    }
    return () => { for (const d of disposers.splice(0)) d(); };
  }

  /** A forward to the target on `localPort` (or the one it has / a port picked); the error message when refused. */
  async function forward(target: ForwardTarget, localPort?: number): Promise<{ forward?: PortForward; error?: string }> {
    try {
      const f = await call('openForward', { target, ...(localPort !== undefined ? { localPort } : {}) });
      if (!items.value.some((x) => x.id === f.id)) items.value = [...items.value, f].sort((a, b) => a.localPort - b.localPort);
      return { forward: f };
    } catch (e) {
      return { error: errorMessage(e) };
    }
  }

  /** "Open": the target's forward (made if needed), its URL opened in the browser. */
  async function open(target: ForwardTarget): Promise<PortForward | undefined> {
    const r = await forward(target);
    if (r.error) notices.error(`Could not open ${describeTarget(target)}`, r.error);
    if (r.forward) openInBrowser(r.forward.url);
    return r.forward;
  }

  async function stop(f: PortForward): Promise<void> {
    try {
      await call('stopForward', { id: f.id });
      items.value = items.value.filter((x) => x.id !== f.id);
      notices.success(`Stopped forwarding 127.0.0.1:${f.localPort}`);
    } catch (e) {
      notices.error(`Could not stop 127.0.0.1:${f.localPort}`, errorMessage(e));
    }
  }

  return { items, error, start, forward, open, stop, refresh };
});
