// Image references as Docker's distribution/reference reads them: [registry/]path[:tag]. Which name
// `flotilla images build -t NAME:TAG` pushes to: NAME:TAG under the registry unless NAME names one.
import * as path from 'node:path';

/** The default registry: the one `flotilla serve` runs on the host (nodes pull it as localhost:5000/...). */
export const DEFAULT_REGISTRY = 'localhost:5000';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;

export interface ImageRef {
  /** host[:port], as written. */
  registry: string;
  /** The repository path under the registry: flotilla/hello. */
  repository: string;
  tag: string;
}

export function formatRef(r: ImageRef): string {
  return `${r.registry}/${r.repository}:${r.tag}`;
}

/** Whether the first component of a name is a registry, by Docker's rule: it has a dot or a port, or is localhost. */
function isDomain(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/** A registry address, HOST or HOST:PORT; throws with the reason. */
export function checkRegistry(address: string): string {
  if (!HOST.test(address) || address.includes('/')) throw new Error(`invalid registry address "${address}": it must be HOST or HOST:PORT`);
  return address;
}

/** NAME[:TAG] (or a whole reference with its registry) → where the build is pushed; errors as Docker words them. */
export function parseTarget(name: string, registry: string = DEFAULT_REGISTRY): ImageRef {
  if (name.includes('@')) throw new Error(`invalid reference format: "${name}": a build is tagged, not pinned to a digest`);
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const domain = first && isDomain(first) ? checkRegistry(first) : checkRegistry(registry);
  const rest = first && isDomain(first) ? name.slice(slash + 1) : name;
  const colon = rest.lastIndexOf(':');
  const repository = colon < 0 ? rest : rest.slice(0, colon);
  const tag = colon < 0 ? 'latest' : rest.slice(colon + 1);
  if (!repository) throw new Error(`invalid reference format: "${name}": no repository name`);
  const parts = repository.split('/');
  if (parts.some((p) => !COMPONENT.test(p))) {
    const lower = parts.every((p) => COMPONENT.test(p.toLowerCase()));
    throw new Error(`invalid reference format: "${name}"${lower ? ': repository name must be lowercase' : ''}`);
  }
  if (!TAG.test(tag)) throw new Error(`invalid reference format: "${name}": invalid tag "${tag}"`);
  return { registry: domain, repository, tag };
}

/** The name a build gets without -t: the context folder's name, made a valid repository name, tagged latest. */
export function defaultName(dir: string): string {
  const base = path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[._-]+$/g, '').replace(/[._-]{2,}/g, '-');
  return `${base || 'image'}:latest`;
}
