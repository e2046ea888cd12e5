// kube-apiserver's cluster-authentication-trust controller: kube-system's extension-apiserver-authentication ConfigMap,
// which aggregated API servers read to trust the front proxy's requests. Written at start, and put back to this
// control plane's CAs whenever it is changed or deleted.
import { EXTENSION_AUTHENTICATION_CONFIGMAP, extensionAuthenticationConfigMap } from '../api/apiservices';
import type { ConfigMap } from '../api/types';
import { isAlreadyExists } from '../client/types';
import { newReconciler } from '../client/reconciler';
import { R, keyFor } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { withExtras } from './extras';
import { ignoreNotFound } from './ignore-not-found';

export interface AuthenticationTrust {
  clientCaPem: string;
  requestHeaderCaPem: string;
}

const KEY = keyFor('kube-system', EXTENSION_AUTHENTICATION_CONFIGMAP);

export function newAuthenticationTrustController(ctx: ControllerContext, trust: AuthenticationTrust): Controller {
  const configMaps = ctx.informers.informer('configmaps');
  const want = extensionAuthenticationConfigMap(trust.clientCaPem, trust.requestHeaderCaPem);
  const builder = newReconciler(ctx, 'cluster-authentication-trust')
    .watches<ConfigMap>('configmaps', (c) => (keyFor(c.metadata?.namespace, c.metadata?.name ?? '') === KEY ? [KEY] : []));
  const controller = builder.complete(async () => {
    const have = configMaps.get(KEY) as unknown as ConfigMap | undefined;
    if (!have) {
      await ctx.client.create(R.configmaps, want, { namespace: 'kube-system' }).catch((e: unknown) => { if (!isAlreadyExists(e)) throw e; });
      return;
    }
    if (JSON.stringify(have.data ?? {}) === JSON.stringify(want.data)) return;
    await ignoreNotFound(ctx.client.update(R.configmaps, { ...have, data: want.data }, { namespace: 'kube-system' }));
  });
  return withExtras(controller, { run: () => { builder.queue.add(KEY); return () => undefined; } });
}
