// The token controller (kube-controller-manager's serviceaccount-token): a Secret of type
// `kubernetes.io/service-account-token` naming a service account in its `kubernetes.io/service-account.name`
// annotation gets a long-lived token for it, the cluster CA and the namespace in its data, and the account's uid
// in the `kubernetes.io/service-account.uid` annotation — the way charts, CI systems and dashboards still make
// API tokens. A token Secret whose account is gone (or has another uid) is deleted, and so are an account's
// token Secrets when it is deleted.
import type { KObject, Secret, ServiceAccount } from '../api/types';
import { isConflict, isNotFound } from '../client/types';
import { newReconciler } from '../client/reconciler';
import { R, keyFor, keyOf } from '../client/refs';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import type { Controller, ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';

export const SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';
export const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
export const SA_UID_ANNOTATION = 'kubernetes.io/service-account.uid';

/** Signs a legacy token naming the Secret and its service account (TokenIssuer.issueLegacy). */
export type LegacyTokenSigner = (ref: { namespace: string; secretName: string; serviceAccountName: string; serviceAccountUid: string }) => Promise<string>;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const isTokenSecret = (s: Secret) => s.type === SERVICE_ACCOUNT_TOKEN;

export function newServiceAccountTokenController(ctx: ControllerContext, sign: LegacyTokenSigner, caPem: string): Controller {
  const { client, informers } = ctx;
  const secrets = informers.informer('secrets');
  const accounts = informers.informer('serviceaccounts');

  /** The account the Secret names, from the cache or else the API (the cache may lag behind a new account). */
  async function accountOf(namespace: string, name: string): Promise<ServiceAccount | undefined> {
    const cached = accounts.get(keyFor(namespace, name)) as ServiceAccount | undefined;
    if (cached) return cached;
    return ignoreNotFound(client.get<ServiceAccount & KObject>(R.serviceaccounts, name, namespace));
  }

  async function reconcile(key: string): Promise<void> {
    const secret = secrets.get(key) as (Secret & KObject) | undefined;
    if (!secret || !isTokenSecret(secret) || secret.metadata?.deletionTimestamp) return;
    const namespace = secret.metadata!.namespace!;
    const annotations = secret.metadata?.annotations ?? {};
    const saName = annotations[SA_NAME_ANNOTATION] ?? '';
    const sa = saName ? await accountOf(namespace, saName) : undefined;
    const wantUid = annotations[SA_UID_ANNOTATION];
    if (!sa || (wantUid && sa.metadata?.uid !== wantUid)) {
      await ignoreNotFound(client.delete(R.secrets, secret.metadata!.name!, { namespace, preconditions: { uid: secret.metadata!.uid! } }));
      return;
    }
    const data = secret.data ?? {};
    const uid = sa.metadata!.uid!;
    if (data.token && data['ca.crt'] === b64(caPem) && data.namespace === b64(namespace) && wantUid === uid) return;
    const token = data.token ?? b64(await sign({ namespace, secretName: secret.metadata!.name!, serviceAccountName: saName, serviceAccountUid: uid }));
    try {
      await client.update<Secret & KObject>(R.secrets, {
        ...secret,
        metadata: { ...secret.metadata, annotations: { ...annotations, [SA_UID_ANNOTATION]: uid } },
        data: { ...data, token, 'ca.crt': b64(caPem), namespace: b64(namespace) },
      }, { namespace });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e; // a conflict: the Secret's update requeues it
    }
  }

  /** A deleted account's token Secrets (those naming it, and its uid if they record one). */
  const tokensOf = (sa: ServiceAccount): string[] => (secrets.byIndex(BY_NAMESPACE, sa.metadata?.namespace ?? '') as Secret[])
    .filter((s) => isTokenSecret(s) && s.metadata?.annotations?.[SA_NAME_ANNOTATION] === sa.metadata?.name)
    .map((s) => keyOf(s as KObject));

  return newReconciler(ctx, 'serviceaccount-token')
    .for<Secret>('secrets', { add: isTokenSecret, update: (_o, s) => isTokenSecret(s), delete: () => false })
    .watches<ServiceAccount>('serviceaccounts', tokensOf)
    .complete(reconcile);
}
