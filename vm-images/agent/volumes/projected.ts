// The payload of a projected volume: its configMap, secret, downwardAPI and serviceAccountToken sources
// in one directory. The token file is mode 0600 (then group-readable through fsGroup) when the pod has a
// runAsUser for all containers or an fsGroup, and owned by that user, as the kubelet writes it.
import type { Pod, ProjectedVolumeSource, VolumeProjection } from 'kubernetes-types/core/v1';
import type { ObjectSource } from '../sync/object-watches';
import type { Payload } from './atomic-writer';
import { addDownwardAPI } from './downward-api';
import { addKeyToPath, DEFAULT_MODE } from './key-to-path';
import type { TokenManager } from './service-account-token';

/** ServiceAccountTokenProjection's default expirationSeconds. */
export const DEFAULT_TOKEN_SECONDS = 3600;

export interface ProjectionContext { pod: Pod; objects: ObjectSource; tokens?: TokenManager; fsUser?: number; fsGroup?: number }

export async function projectedPayload(ctx: ProjectionContext, src: ProjectedVolumeSource): Promise<Payload> {
  const defaultMode = src.defaultMode ?? DEFAULT_MODE;
  // Each source into its own payload, side by side (a token request and API reads overlap), merged in order.
  const parts = await Promise.all((src.sources ?? []).map(async (s) => {
    const part: Payload = new Map();
    await addSource(ctx, s, defaultMode, part);
    return part;
  }));
  return new Map(parts.flatMap((p) => [...p]));
}

async function addSource(ctx: ProjectionContext, s: VolumeProjection, defaultMode: number, payload: Payload): Promise<void> {
  const { pod } = ctx;
  const ns = pod.metadata?.namespace ?? 'default';
  if (s.configMap) await addKeyToPath(ctx.objects, 'ConfigMap', ns, s.configMap, defaultMode, payload);
  else if (s.secret) await addKeyToPath(ctx.objects, 'Secret', ns, s.secret, defaultMode, payload);
  else if (s.downwardAPI) addDownwardAPI(pod, s.downwardAPI.items, defaultMode, payload);
  else if (s.serviceAccountToken) {
    const tp = s.serviceAccountToken;
    if (!ctx.tokens) throw new Error('this node cannot request service account tokens');
    const token = await ctx.tokens.get(ns, pod.spec?.serviceAccountName || 'default', {
      ...(tp.audience ? { audiences: [tp.audience] } : {}),
      expirationSeconds: tp.expirationSeconds ?? DEFAULT_TOKEN_SECONDS,
      boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
    });
    const restricted = ctx.fsUser !== undefined || ctx.fsGroup !== undefined;
    payload.set(tp.path, { data: Buffer.from(token, 'utf8'), mode: restricted ? 0o600 : defaultMode, ...(ctx.fsUser === undefined ? {} : { fsUser: ctx.fsUser }) });
  }
}
