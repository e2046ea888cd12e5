// Ephemeral containers: each started once (initialized or not) and never restarted; one that targets a
// container joins its PID namespace and waits (CreateContainerConfigError) until that container runs.
import type { EphemeralContainer } from 'kubernetes-types/core/v1';
import { startContainer, type RunningSandbox, type StartDeps, type StartState } from './container-start';
import { fieldPath } from './events';
import { instances, type RuntimeContainer } from './runtime-state';

/** Brings one ephemeral container about; returns how soon the worker should look again (ms). */
export async function syncEphemeral(
  deps: StartDeps, st: StartState, ec: EphemeralContainer, all: RuntimeContainer[], sandbox: RunningSandbox,
): Promise<number> {
  const key = `ephemeral/${ec.name}`;
  const [cur] = instances(all, ec.name, 'ephemeral');
  if (cur) {
    if (cur.state === 'CONTAINER_CREATED') await deps.cri.startContainer(cur.id).catch(() => undefined);
    st.waiting.delete(key);
    return deps.syncIntervalMs;
  }
  let targetId: string | undefined;
  const target = ec.targetContainerName;
  if (target) {
    const running = [...instances(all, target, 'app'), ...instances(all, target, 'init')].find((c) => c.state === 'CONTAINER_RUNNING');
    if (!running) {
      const message = `unable to find target container ${target}`;
      if (st.waiting.get(key)?.message !== message) st.event('Warning', 'Failed', `Error: ${message}`, fieldPath('ephemeral', ec.name));
      st.waiting.set(key, { reason: 'CreateContainerConfigError', message });
      return deps.syncIntervalMs;
    }
    targetId = running.id;
  }
  return startContainer(deps, st, ec, 'ephemeral', 0, sandbox, targetId);
}
