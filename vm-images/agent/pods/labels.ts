// Labels and annotations that identify pods and containers in the runtime, as the kubelet sets them.
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
/** Marks what this agent created, so adoption and cleanup never touch anything else in the runtime. */
export const LABEL_MANAGED = 'flotilla.dev/managed';
/** Container kind: "init", "app" or "ephemeral". */
export const LABEL_CONTAINER_KIND = 'flotilla.dev/container-kind';

export const ANN_CONTAINER_HASH = 'flotilla.dev/container-hash';
export const ANN_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const ANN_TERMINATION_GRACE = 'io.kubernetes.pod.terminationGracePeriod';
export const ANN_TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';
export const ANN_TERMINATION_MESSAGE_POLICY = 'io.kubernetes.container.terminationMessagePolicy';
/** Where on the node the container's termination message file is (the kubelet finds it among the mounts). */
export const ANN_TERMINATION_MESSAGE_HOST_PATH = 'flotilla.dev/termination-message-host-path';
