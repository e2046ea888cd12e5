// Which cluster this window shows, kept across reloads: the tab's own choice (sessionStorage),
// else the last one chosen in any window (localStorage). '' or nothing: this Flotilla.
export const CLUSTER_KEY = 'flotilla-cluster';

export function readClusterChoice(session: Storage, local: Storage): string {
  return session.getItem(CLUSTER_KEY) ?? local.getItem(CLUSTER_KEY) ?? '';
}

export function writeClusterChoice(session: Storage, local: Storage, id: string): void {
  for (const s of [session, local]) {
    if (id === '') s.removeItem(CLUSTER_KEY);
    else s.setItem(CLUSTER_KEY, id);
  }
}

/** Contexts grouped by their kubeconfig file, in the order the server listed them. */
export function groupByFile<T extends { file: string }>(contexts: readonly T[]): Array<{ file: string; contexts: T[] }> {
  const groups = new Map<string, T[]>();
  for (const c of contexts) {
    const g = groups.get(c.file);
    if (g) g.push(c);
    else groups.set(c.file, [c]);
  }
  return [...groups].map(([file, list]) => ({ file, contexts: list }));
}
