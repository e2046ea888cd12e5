// The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount) for pod creates: the
// pod's service account must exist (403 "error looking up service account …" otherwise; the
// `default` one is waited for briefly, since its controller may not have made it yet), and unless
// automountServiceAccountToken is false (pod first, then service account) every container and init
// container mounts a projected kube-api-access-<5> volume read-only at
// /var/run/secrets/kubernetes.io/serviceaccount: a bound token, the cluster CA and the namespace.
import type { Container, KObject, Pod, ServiceAccount, Volume } from '../../../api/types';
import type { ObjectReader } from '../strategy';
import { resourceFor } from '../../../api/resources';
import { errors } from '../../status';
import { generateName } from '../objects';

export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const VOLUME_PREFIX = 'kube-api-access-';
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: the kubelet's tokens are extended to a year past this. */
export const KUBELET_TOKEN_SECONDS = 3607;
const DEFAULT_RETRIES = 10;
const SERVICE_ACCOUNTS = resourceFor('', 'v1', 'serviceaccounts')!;

export function tokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: KUBELET_TOKEN_SECONDS } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

async function lookUp(reader: ObjectReader, namespace: string, name: string): Promise<ServiceAccount | undefined> {
  const attempts = name === 'default' ? DEFAULT_RETRIES : 1;
  for (let i = 0; i < attempts; i++) {
    // 100–200 ms between attempts, as the plugin waits for the default account's controller.
    if (i > 0) await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 100)));
    const sa = reader.tryGet(SERVICE_ACCOUNTS, namespace, name);
    if (sa) return sa as ServiceAccount;
  }
  return undefined;
}

function mountInto(containers: Container[] | undefined, volumeName: string): boolean {
  let mounted = false;
  for (const c of containers ?? []) {
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT_PATH)) continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
    mounted = true;
  }
  return mounted;
}

/**
 * Admits a pod being created into `namespace`. `displayName` names it in a refusal (its name, or its
 * generateName before a name is generated). Mutates the pod.
 */
export async function admitPodServiceAccount(reader: ObjectReader, obj: KObject, namespace: string, displayName: string): Promise<void> {
  const pod = obj as Pod;
  const spec = (pod.spec ??= { containers: [] });
  // Mirror pods (a node's static pods) are not given service accounts.
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return;
  const name = spec.serviceAccountName || 'default';
  const sa = await lookUp(reader, namespace, name);
  if (!sa) {
    throw errors.forbidden('', 'pods', displayName, `error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`);
  }
  const automount = spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
  if (automount) {
    const existing = (spec.volumes ?? []).find((v) => v.name.startsWith(VOLUME_PREFIX));
    const volumeName = existing?.name ?? generateName(VOLUME_PREFIX);
    const mountedInit = mountInto(spec.initContainers, volumeName);
    const mounted = mountInto(spec.containers, volumeName);
    if (!existing && (mountedInit || mounted)) spec.volumes = [...(spec.volumes ?? []), tokenVolume(volumeName)];
  }
  if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) spec.imagePullSecrets = sa.imagePullSecrets.map((s) => ({ name: s.name }));
}
