// One-click failures from the UI: a node's failures in force (polled while shown), causing one, healing the node, and a
// pod's container failures; outcomes as notices (useActions' attempt). Only this Flotilla's sandbox nodes take them.
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import type { NodeFault, NodeFaultState, PodFault, PodFaultState } from '../../../main/api/faults';
import { nodeFaultLabel, podFaultLabel } from '../../../main/api/faults';
import type { NodeLifecycleSettings } from '../../../main/api/node-lifecycle-settings';
import { call } from '../bridge/client';
import { useActions } from './useActions';

/** The timings, asked once per app (they change only with a restart of the control plane). */
let settings: Promise<NodeLifecycleSettings | undefined> | undefined;

export function nodeLifecycleSettings(): Promise<NodeLifecycleSettings | undefined> {
  settings ??= call('nodeLifecycleSettings', null).catch(() => { settings = undefined; return undefined; });
  return settings;
}

/** A node's failures: state kept current while the component lives. */
export function useNodeFaults(node: Ref<string>) {
  const { attempt } = useActions();
  const state = ref<NodeFaultState>();
  const timings = ref<NodeLifecycleSettings>();
  const working = ref(false);

  async function refresh(): Promise<void> {
    try {
      state.value = await call('nodeFaults', { node: node.value });
    } catch {
      state.value = undefined; // another cluster, or no connection: the menu stays hidden
    }
  }
  watch(node, () => void refresh(), { immediate: true });
  void nodeLifecycleSettings().then((s) => { timings.value = s; });

  async function busy<T>(fn: () => Promise<T>): Promise<T> {
    working.value = true;
    try {
      return await fn();
    } finally {
      working.value = false;
    }
  }

  return {
    state, timings, working,
    inject: (fault: NodeFault) => busy(async () => {
      const s = await attempt(`${nodeFaultLabel(fault).toLowerCase()} on ${node.value}`, () => call('injectNodeFault', { node: node.value, fault }),
        () => `${nodeFaultLabel(fault)}: done on ${node.value}. Watch what Kubernetes does next.`);
      if (s) state.value = s;
    }),
    heal: () => busy(async () => {
      const s = await attempt(`heal ${node.value}`, () => call('healNode', { node: node.value }), () => `Healing ${node.value}: it reconnects and becomes Ready`);
      if (s) state.value = s;
    }),
  };
}

const POD_FAULT_DONE: Record<PodFault, string> = {
  'kill-container': 'The kubelet restarts it, with back-off when it keeps failing.',
  'fail-readiness': 'After its failure threshold the pod turns NotReady and leaves its Services\' endpoints.',
};

/** A pod's failures, and those in force (a failed readiness probe) for the pod given. */
export function usePodFaults(pod: Ref<{ namespace: string; name: string }>) {
  const { attempt } = useActions();
  const working = ref(false);
  const state = ref<PodFaultState>();
  let alive = true;
  onBeforeUnmount(() => { alive = false; });
  async function refresh(): Promise<void> {
    try {
      const s = await call('podFaults', pod.value);
      if (alive) state.value = s;
    } catch {
      if (alive) state.value = undefined; // another cluster, or no connection
    }
  }
  watch(() => `${pod.value.namespace}/${pod.value.name}`, () => void refresh(), { immediate: true });
  return {
    working, state,
    inject: async (fault: PodFault, container?: string) => {
      const { namespace, name } = pod.value;
      working.value = true;
      await attempt(`${podFaultLabel(fault).toLowerCase()} of ${name}`, () => call('injectPodFault', { namespace, name, fault, container }),
        () => `${podFaultLabel(fault)}: done on ${name}. ${POD_FAULT_DONE[fault]}`);
      await refresh();
      if (alive) working.value = false;
    },
    heal: async () => {
      const { namespace, name } = pod.value;
      working.value = true;
      const s = await attempt(`heal ${name}`, () => call('healPod', { namespace, name }), () => `Healing ${name}: its readiness probe runs again`);
      if (s && alive) state.value = s;
      if (alive) working.value = false;
    },
  };
}
