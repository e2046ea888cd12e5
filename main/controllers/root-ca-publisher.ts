// The root CA publisher: every active namespace has the ConfigMap kube-root-ca.crt whose ca.crt is
// the CA that signed the API server's certificate, so pods can verify https://kubernetes.default.svc
// (the service-account token volume projects it).
import type { ConfigMap, KObject, Namespace } from '../api/types';
import { isAlreadyExists } from '../client/types';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const ONLY_ROOT_CA = `metadata.name=${ROOT_CA_CONFIGMAP}`;
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export function newRootCaPublisher(ctx: ControllerContext, caPem: string): Controller {
  const { client, informers } = ctx;
  // Only the ConfigMaps of that name: the loop needs no cache of every ConfigMap in the cluster.
  const configmaps = informers.informer('configmaps', ONLY_ROOT_CA);

  async function reconcile(namespace: string): Promise<void> {
    const ns = informers.namespaces.get(namespace);
    if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const cm = configmaps.get(`${namespace}/${ROOT_CA_CONFIGMAP}`) as (ConfigMap & KObject) | undefined;
    if (!cm) {
      const want: ConfigMap & KObject = {
        apiVersion: 'v1', kind: 'ConfigMap',
        metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
        data: { 'ca.crt': caPem },
      };
      try {
        await client.create(R.configmaps, want, { namespace });
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
      return;
    }
    const data = cm.data ?? {};
    if (Object.keys(data).length === 1 && data['ca.crt'] === caPem && cm.metadata?.annotations?.[DESCRIPTION_ANNOTATION] === DESCRIPTION) return;
    await client.update(R.configmaps, {
      ...cm,
      metadata: { ...cm.metadata, annotations: { ...cm.metadata?.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
      data: { 'ca.crt': caPem },
    }, { namespace });
  }

  return newReconciler(ctx, 'root-ca-cert-publisher')
    .for<Namespace>('namespaces')
    .watches<ConfigMap>('configmaps', (cm) => (cm.metadata?.name === ROOT_CA_CONFIGMAP ? [cm.metadata.namespace ?? ''] : []), undefined, ONLY_ROOT_CA)
    .complete(reconcile);
}
