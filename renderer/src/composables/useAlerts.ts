// Raises a notice (with a link that opens the object) and a system notification for each new episode of trouble the
// alert tracker finds in the pods and nodes the UI watches: crash loops, image pulls that fail, nodes going NotReady.
// Checks at most every CHECK_MS, however fast the watch events come.
import { onScopeDispose, watch } from 'vue';
import { usePodsStore } from '../stores/pods';
import { useNodesStore } from '../stores/nodes';
import { useNoticesStore } from '../stores/notices';
import { useNavStore } from '../stores/nav';
import { AlertTracker, type Alert } from '../lib/alerts';
import { systemNotify } from './useSystemNotification';

export const CHECK_MS = 250;

export function useAlerts(): void {
  const pods = usePodsStore();
  const nodes = useNodesStore();
  const notices = useNoticesStore();
  const nav = useNavStore();
  const tracker = new AlertTracker();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const open = (a: Alert) => {
    if (a.target.type === 'pod') nav.openPod(a.target.namespace, a.target.name);
    else nav.openNode(a.target.name);
  };

  const check = () => {
    timer = undefined;
    const alerts = [
      ...(pods.synced ? tracker.pods(pods.items.values()) : []),
      ...(nodes.synced ? tracker.nodes(nodes.items.values()) : []),
    ];
    for (const a of alerts) {
      const label = a.target.type === 'pod' ? 'Open pod' : 'Open node';
      notices.push('error', a.title, a.detail, { label, run: () => open(a) });
      systemNotify(a.title, a.detail, () => open(a));
    }
  };

  // A new array on every run of the getter: the callback fires on every triggerRef of the informers' Maps, which stay
  // the same objects.
  const stop = watch(() => [pods.items, nodes.items, pods.synced, nodes.synced], () => {
    timer ??= setTimeout(check, CHECK_MS);
  }, { immediate: true });

  onScopeDispose(() => {
    stop();
    clearTimeout(timer);
  });
}
