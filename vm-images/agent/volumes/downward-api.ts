// The payload of a downwardAPI volume (or projection): fieldRef (metadata.name, namespace, uid, labels,
// annotations, one label or annotation) and resourceFieldRef (a container's limits/requests with a
// divisor), as the kubelet's CollectData; labels and annotations are `key="value"` lines, sorted.
import type { DownwardAPIVolumeFile, Pod } from 'kubernetes-types/core/v1';
import { fieldValue, resourceValue } from '../pods/env';
import type { Payload } from './atomic-writer';

/** fieldpath.FormatMap: sorted `key="value"` lines without a trailing newline. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${JSON.stringify(m?.[k] ?? '')}`).join('\n');
}

function fieldText(pod: Pod, path: string): string {
  if (path === 'metadata.labels') return formatMap(pod.metadata?.labels);
  if (path === 'metadata.annotations') return formatMap(pod.metadata?.annotations);
  return fieldValue(pod, path, pod.status?.podIP ?? '', pod.status?.hostIP ?? '');
}

export function addDownwardAPI(pod: Pod, items: DownwardAPIVolumeFile[] | undefined, defaultMode: number, payload: Payload): void {
  for (const item of items ?? []) {
    let text: string;
    if (item.fieldRef) text = fieldText(pod, item.fieldRef.fieldPath);
    else if (item.resourceFieldRef) {
      const ref = item.resourceFieldRef;
      const container = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === ref.containerName);
      if (!container) throw new Error(`failed to find container with name ${ref.containerName ?? ''}`);
      text = resourceValue(container, ref.resource, ref.divisor);
    } else continue;
    payload.set(item.path, { data: Buffer.from(text, 'utf8'), mode: item.mode ?? defaultMode });
  }
}
