// The payload of a configMap or secret volume (or projection) as the kubelet makes it (MakePayload):
// every key at its own name, or only the listed items at their paths; each file's mode is the item's
// mode or the volume's default. A missing object or key fails unless the source is optional.
import type { ConfigMap, KeyToPath, Secret } from 'kubernetes-types/core/v1';
import type { ObjectSource, WatchedKind } from '../sync/object-watches';
import { configMapBytes, secretBytes } from '../sync/object-data';
import type { Payload } from './atomic-writer';

export const DEFAULT_MODE = 0o644;

export interface KeyToPathSource { name?: string; items?: KeyToPath[]; optional?: boolean }

const WORD: Record<WatchedKind, [lower: string, key: string]> = { ConfigMap: ['configmap', 'config'], Secret: ['secret', 'secret'] };

/** Adds the source's files to `payload`; throws the kubelet's message (plain text) when something required is missing. */
export async function addKeyToPath(objects: ObjectSource, kind: WatchedKind, namespace: string, src: KeyToPathSource,
  defaultMode: number, payload: Payload): Promise<void> {
  const name = src.name ?? '';
  const [lower, keyWord] = WORD[kind];
  const obj = await objects.get({ kind, namespace, name });
  if (!obj) {
    if (src.optional) return;
    throw new Error(`${lower} "${name}" not found`);
  }
  const data = kind === 'ConfigMap' ? configMapBytes(obj as ConfigMap) : secretBytes(obj as Secret);
  if (!src.items?.length) {
    for (const [k, v] of data) payload.set(k, { data: v, mode: defaultMode });
    return;
  }
  for (const item of src.items) {
    const v = data.get(item.key);
    if (v === undefined) {
      if (src.optional) continue;
      throw new Error(`${lower} references non-existent ${keyWord} key: ${item.key}`);
    }
    payload.set(item.path, { data: v, mode: item.mode ?? defaultMode });
  }
}
