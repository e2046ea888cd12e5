// CustomResourceDefinition facts every side shares: its defaults (SetDefaults_CustomResourceDefinition)
// and the conditions the establishing controller reports.
import type { KObject } from './types';
import { isObj, list, str } from './validation/read';
import { compareCodePoints } from './string-order';

/** listKind <kind>List, singular the lower-case kind, conversion None, storedVersions: as apiextensions' v1 defaults do. */
export function defaultCustomResourceDefinition(o: KObject): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec) return;
  const names = isObj(spec.names) ? spec.names : undefined;
  const kind = str(names?.kind);
  if (names && kind) {
    if (!names.listKind) names.listKind = `${kind}List`;
    if (!names.singular) names.singular = kind.toLowerCase();
  }
  if (!isObj(spec.conversion)) spec.conversion = { strategy: 'None' };
  // status.storedVersions starts as the storage version (SetDefaults_CustomResourceDefinition).
  const status = isObj(o.status) ? o.status : undefined;
  const stored = list(status?.storedVersions);
  const storage = list(spec.versions).find((v) => isObj(v) && v.storage === true);
  if (!stored.length && isObj(storage) && str(storage.name)) o.status = { ...(status ?? {}), storedVersions: [str(storage.name)] };
}

/** The name a CRD must have: spec.names.plural + "." + spec.group. */
export function requiredCrdName(spec: unknown): string {
  const s = isObj(spec) ? spec : {};
  const names = isObj(s.names) ? s.names : {};
  return `${str(names.plural)}.${str(s.group)}`;
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes' version priority (CompareKubeAwareVersionStrings) as a sort comparator, highest first:
 * GA before beta before alpha, higher numbers first; versions not of that form last, alphabetically.
 */
export function byVersionPriority(a: string, b: string): number {
  const ma = KUBE_VERSION.exec(a);
  const mb = KUBE_VERSION.exec(b);
  if (!ma || !mb) return ma ? -1 : mb ? 1 : compareCodePoints(a, b);
  const rank = (m: RegExpExecArray) => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  if (rank(ma) !== rank(mb)) return rank(mb) - rank(ma);
  if (ma[1] !== mb[1]) return Number(mb[1]) - Number(ma[1]);
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

/** The finalizer a deleted CRD holds while its objects are removed (apiextensions' CustomResourceCleanupFinalizer). */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
