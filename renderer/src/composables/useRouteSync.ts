// Keeps the URL's hash and the nav and namespace stores in step, both ways: opening a view or an
// object pushes a history entry (so Back and Forward walk them); typing a search or changing the
// namespaces replaces the current one. Back/Forward and a pasted link set the stores from the hash.
// Generic: any view in MAIN_VIEWS and any detail object get a URL with no more work.
import { watch } from 'vue';
import { isMainView, useNavStore } from '../stores/nav';
import { useNamespacesStore } from '../stores/namespaces';
import { fromHash, toHash } from '../lib/route';

export function useRouteSync(): () => void {
  const nav = useNavStore();
  const namespaces = useNamespacesStore();

  /** At start a hash without namespaces leaves the remembered choice; later (Back) it means all. */
  const readHash = (initial: boolean) => {
    const s = fromHash(location.hash, isMainView, 'map');
    nav.view = s.view;
    nav.detail = s.detail;
    nav.query = s.query;
    if (s.namespaces !== undefined || !initial) namespaces.set(s.namespaces ?? []);
  };
  readHash(true);
  const current = () => toHash({ view: nav.view, detail: nav.detail, namespaces: namespaces.selected, query: nav.query });
  history.replaceState(history.state, '', current());

  /** The hash we wrote last: a hashchange to it is our own. */
  let written = location.hash;
  const write = (push: boolean) => {
    const hash = current();
    if (hash === location.hash) return;
    written = hash;
    if (push) history.pushState(null, '', hash);
    else history.replaceState(history.state, '', hash);
  };
  const stopPlace = watch(() => [nav.view, nav.detail], () => write(true));
  const stopFilter = watch(() => [nav.query, namespaces.selected], () => write(false), { deep: true });
  const onPop = () => {
    if (location.hash === written) return;
    written = location.hash;
    readHash(false);
  };
  window.addEventListener('popstate', onPop);
  window.addEventListener('hashchange', onPop);
  return () => {
    stopPlace();
    stopFilter();
    window.removeEventListener('popstate', onPop);
    window.removeEventListener('hashchange', onPop);
  };
}
