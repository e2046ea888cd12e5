// Pure helpers of the Images view: how an image is named on screen, the pods using it as text, and
// whether a chosen folder can be sent as a build context.
import type { PodRef } from '../../../main/api/image-usage';

/** The name to show: the first tag (else a digest, else the id), docker.io/library/ dropped as Docker prints it. */
export function displayName(names: readonly string[], id?: string): string {
  const tag = names.find((n) => !n.includes('@')) ?? names[0] ?? id ?? '';
  return tag.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

/** The other names of the image (more tags, digests), for its tooltip. */
export function otherNames(names: readonly string[], shown: string): string[] {
  return names.filter((n) => displayName([n]) !== shown);
}

/** "default/web-1, default/web-2 and 3 more" (the first `max` by name). */
export function podsText(pods: readonly PodRef[], max = 2): string {
  if (!pods.length) return '';
  const names = pods.map((p) => (p.namespace === 'default' ? p.name : `${p.namespace}/${p.name}`));
  const head = names.slice(0, max).join(', ');
  return names.length > max ? `${head} and ${names.length - max} more` : head;
}

export interface ContextEntry { path: string; size: number }

/** Why these files cannot be built (no Dockerfile at the top, over the limit), or undefined. */
export function contextProblem(entries: readonly ContextEntry[], limit: number): string | undefined {
  if (!entries.length) return 'The folder is empty: choose the folder that holds your Dockerfile.';
  if (!entries.some((e) => e.path === 'Dockerfile' || e.path === 'Containerfile')) {
    return 'There is no Dockerfile at the top of this folder: choose the folder that holds it.';
  }
  const total = entries.reduce((n, e) => n + e.size, 0);
  if (total > limit) {
    const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    return `The folder holds ${mib(total)}, more than the ${mib(limit)} a build from the UI takes: run \`flotilla images build DIR\` instead.`;
  }
  return undefined;
}

/** The image name a folder gets by default: its name made a valid repository name, tagged latest (as `flotilla images build` does). */
export function defaultImageName(folder: string): string {
  const base = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[._-]+$/g, '').replace(/[._-]{2,}/g, '-');
  return `${base || 'image'}:latest`;
}

/** The app name a built image suggests for a deploy: its last path component without the tag. */
export function appNameOf(image: string): string {
  const last = image.split('/').pop() ?? image;
  const name = last.split(/[:@]/)[0].toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return name || 'app';
}
