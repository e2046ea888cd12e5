// What a pod's STATUS means, in words for someone new to Kubernetes, with what to do about it.
import type { Pod } from '../../../main/api/types';

const PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable', 'ImageInspectError']);

/** The first container stuck on `status`, for the sentence. */
function stuckOn(p: Pod, status: string): { image?: string; message?: string } {
  const all = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  const c = all.find((x) => x.state?.waiting?.reason === status || x.state?.terminated?.reason === status);
  return { image: c?.image ?? p.spec?.containers?.[0]?.image, message: c?.state?.waiting?.message };
}

/** The agent ends a failed pull's message with which failure it was: "(unauthorized: …)", "(not found: …)", "(unreachable: …)". */
function pullHint(image: string | undefined, message = ''): string {
  const it = `the image${image ? ` ${image}` : ''}`;
  if (message.includes('(unauthorized: ')) return `The registry refused to give ${it} without valid credentials. Add an imagePullSecret (kubectl create secret docker-registry) to the pod or its ServiceAccount.`;
  if (message.includes('(not found: ')) return `The registry does not have ${it}. Check its name and tag.`;
  if (message.includes('(unreachable: ')) return `The node cannot reach the registry of ${it}. Check the registry's address and that it is running.`;
  return `The node cannot get ${it}. Check its name and tag, and that its registry can be reached from the node — or drop the image's tarball on this window to import it.`;
}

export function podHint(p: Pod, status: string): string | undefined {
  const base = status.replace(/^Init:/, '');
  if (PULL.has(base)) {
    const { image, message } = stuckOn(p, base);
    return pullHint(image, message);
  }
  switch (base) {
    case 'CrashLoopBackOff':
      return 'The container keeps stopping, and is restarted after a growing delay. Its previous log (Logs → Previous) usually says why.';
    case 'CreateContainerConfigError':
      return 'The container refers to something that does not exist (a ConfigMap, a Secret, or a key in one).';
    case 'CreateContainerError':
    case 'RunContainerError':
    case 'ContainerCannotRun':
      return 'The container could not be started: the runtime\'s message below says why (often the command or the image\'s entrypoint).';
    case 'OOMKilled':
      return 'The container used more memory than its limit and was stopped.';
    case 'Error':
      return 'The container exited with an error. Its log says why.';
    default:
      return undefined;
  }
}
