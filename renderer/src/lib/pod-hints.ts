// What a pod's STATUS means, in words for someone new to Kubernetes, with what to do about it.
import type { Pod } from '../../../main/api/types';

const PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable', 'ImageInspectError']);

/** The image of the first container stuck on `status`, for the sentence. */
function imageOf(p: Pod, status: string): string | undefined {
  const all = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  return all.find((c) => c.state?.waiting?.reason === status || c.state?.terminated?.reason === status)?.image ?? p.spec?.containers?.[0]?.image;
}

export function podHint(p: Pod, status: string): string | undefined {
  const base = status.replace(/^Init:/, '');
  if (PULL.has(base)) {
    const image = imageOf(p, base);
    return `The node cannot get the image${image ? ` ${image}` : ''}. Check its name and tag, and that its registry can be reached from the node — or drop the image's tarball on this window to import it.`;
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
