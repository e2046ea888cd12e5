// The ServiceAccounts controller: every active namespace has a `default` ServiceAccount (made again
// if deleted).
import type { KObject, Namespace, ServiceAccount } from '../api/types';
import { isAlreadyExists } from '../client/types';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';

export const DEFAULT_SERVICE_ACCOUNT = 'default';

export function newServiceAccountsController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const accounts = informers.informer('serviceaccounts');

  async function reconcile(namespace: string): Promise<void> {
    const ns = informers.namespaces.get(namespace);
    if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    if (accounts.get(`${namespace}/${DEFAULT_SERVICE_ACCOUNT}`)) return;
    const sa: ServiceAccount & KObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } };
    try {
      await client.create(R.serviceaccounts, sa, { namespace });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }

  return newReconciler(ctx, 'serviceaccount')
    .for<Namespace>('namespaces')
    .watches<ServiceAccount>('serviceaccounts', (sa) => (sa.metadata?.name === DEFAULT_SERVICE_ACCOUNT ? [sa.metadata.namespace ?? ''] : []), { add: () => false, update: () => false })
    .complete(reconcile);
}
