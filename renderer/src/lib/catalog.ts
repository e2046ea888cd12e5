// The apps the catalog offers for drag-and-drop deploys.
export interface CatalogApp {
  id: string;
  title: string;
  description: string;
  image: string;
  port?: number;
  replicas: number;
  /** Dropping it opens the deploy dialog instead of deploying at once. */
  needsConfig?: boolean;
}

export const CATALOG: CatalogApp[] = [
  { id: 'hello', title: 'Hello', description: 'Answers HTTP on :8080 with its pod name and IP', image: 'docker.io/flotilla/hello:1', port: 8080, replicas: 2 },
  { id: 'counter', title: 'Counter', description: 'Counts the HTTP requests it serves on :8080', image: 'docker.io/flotilla/counter:1', port: 8080, replicas: 1 },
  { id: 'custom', title: 'Any image', description: 'Name, image, replicas, port, environment', image: '', replicas: 1, needsConfig: true },
];

export const DRAG_TYPE = 'application/x-flotilla-app';

/** A free name for a new app: the id, else id-2, id-3… */
export function freeName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}
