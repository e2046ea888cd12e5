// What DefaultStorageClass, DefaultIngressClass and the ingress proxy share: of the classes marked default,
// the newest wins (ties by name), as Kubernetes picks since 1.26 (storage) and 1.29 (ingress).
import type { ApiObject } from './types';

export function newestDefault<T extends ApiObject>(classes: readonly T[], isDefault: (c: T) => boolean): T | undefined {
  const defaults = classes.filter(isDefault);
  defaults.sort((a, b) => {
    const ta = a.metadata?.creationTimestamp ?? '';
    const tb = b.metadata?.creationTimestamp ?? '';
    if (ta !== tb) return ta < tb ? 1 : -1;
    return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
  });
  return defaults[0];
}
