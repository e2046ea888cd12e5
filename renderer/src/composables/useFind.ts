// The namespace filter and the search box together, for any view. `predicate` is a plain function
// (recomputed when the filter changes, no reactive reads per object), cheap enough for 10,000 pods.
// Cluster-scoped objects pass the namespace filter; every object must match the search.
import { computed } from 'vue';
import type { KObject } from '../../../main/api/types';
import { useNavStore } from '../stores/nav';
import { useNamespacesStore } from '../stores/namespaces';
import { matches, parseQuery } from '../lib/search';

export function useFind() {
  const nav = useNavStore();
  const namespaces = useNamespacesStore();
  const terms = computed(() => parseQuery(nav.query));
  /** True when the search or the namespace filter hides anything. */
  const filtering = computed(() => terms.value.length > 0 || !namespaces.all);
  const inNamespaces = computed(() => {
    const chosen = new Set(namespaces.selected);
    return (o: KObject) => chosen.size === 0 || o.metadata?.namespace === undefined || chosen.has(o.metadata.namespace);
  });
  const predicate = computed(() => {
    const ns = inNamespaces.value;
    const t = terms.value;
    return (o: KObject) => ns(o) && matches(o, t);
  });
  return { terms, filtering, inNamespaces, predicate };
}
