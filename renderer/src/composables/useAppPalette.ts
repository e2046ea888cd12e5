// What the command palette always offers: the views, the app-wide actions, and the objects of the
// UI's informers (pods, nodes, deployments, services, namespaces). Views add their own with
// `usePaletteSource`.
import { usePaletteSource } from './usePalette';
import type { PaletteItem } from './usePalette';
import { useNavStore } from '../stores/nav';
import type { MainView } from '../stores/nav';
import { useLayoutStore } from '../stores/layout';
import { useNamespacesStore } from '../stores/namespaces';
import { usePodsStore } from '../stores/pods';
import { useNodesStore } from '../stores/nodes';
import { useDeploymentsStore } from '../stores/deployments';
import { useServicesStore } from '../stores/services';
import type { KObject } from '../../../main/api/types';

export interface AppPaletteHooks {
  views: Array<{ id: MainView; label: string }>;
  showHelp: () => void;
}

function nameOf(o: KObject): string {
  return o.metadata?.name ?? '';
}

export function useAppPalette(hooks: AppPaletteHooks): void {
  const nav = useNavStore();
  const layout = useLayoutStore();
  const namespaces = useNamespacesStore();
  const pods = usePodsStore();
  const nodes = useNodesStore();
  const deployments = useDeploymentsStore();
  const services = useServicesStore();

  usePaletteSource('app:actions', (): PaletteItem[] => [
    ...hooks.views.map((v) => ({ id: `view:${v.id}`, kind: 'View', title: `Go to ${v.label}`, run: () => (nav.view = v.id) })),
    { id: 'action:add-node', kind: 'Action', title: 'Add node…', run: () => (nav.addNodeOpen = true) },
    {
      id: 'action:deploy', kind: 'Action', title: 'Deploy an app…', detail: 'from the catalog on the cluster map',
      run: () => {
        nav.view = 'map';
        layout.catalogCollapsed = false;
      },
    },
    { id: 'action:theme', kind: 'Action', title: 'Toggle dark / light theme', run: layout.toggleTheme },
    { id: 'action:sidebar', kind: 'Action', title: layout.sidebarCollapsed ? 'Expand the sidebar' : 'Collapse the sidebar', run: () => (layout.sidebarCollapsed = !layout.sidebarCollapsed) },
    { id: 'action:clear', kind: 'Action', title: 'Clear search and namespace filter', run: () => { nav.query = ''; namespaces.set([]); } },
    { id: 'action:help', kind: 'Action', title: 'Keyboard shortcuts', run: hooks.showHelp },
  ]);

  usePaletteSource('app:objects', (): PaletteItem[] => {
    const out: PaletteItem[] = [];
    for (const n of namespaces.names) {
      out.push({ id: `ns:${n}`, kind: 'Namespace', title: n, detail: 'show only this namespace', run: () => namespaces.set([n]) });
    }
    for (const n of nodes.items.values()) out.push({ id: `node:${nameOf(n)}`, kind: 'Node', title: nameOf(n), run: () => nav.openNode(nameOf(n)) });
    for (const d of deployments.items.values()) {
      const ns = d.metadata?.namespace ?? 'default';
      out.push({
        id: `deploy:${ns}/${nameOf(d)}`, kind: 'Deployment', title: nameOf(d), detail: ns,
        run: () => {
          nav.view = 'workloads';
          nav.openObject({ group: 'apps', version: 'v1', resource: 'deployments', namespace: ns, name: nameOf(d) });
        },
      });
    }
    for (const s of services.items.values()) {
      const ns = s.metadata?.namespace ?? 'default';
      out.push({ id: `svc:${ns}/${nameOf(s)}`, kind: 'Service', title: nameOf(s), detail: ns, run: () => nav.openObject({ group: '', version: 'v1', resource: 'services', namespace: ns, name: nameOf(s) }) });
    }
    for (const p of pods.items.values()) {
      const ns = p.metadata?.namespace ?? 'default';
      out.push({ id: `pod:${ns}/${nameOf(p)}`, kind: 'Pod', title: nameOf(p), detail: ns, run: () => nav.openPod(ns, nameOf(p)) });
    }
    return out;
  });
}
