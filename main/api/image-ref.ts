// Image references as the kubelet reads them (parsers.ParseImageName over docker's reference grammar), shared by the agent and the UI:
// the normalized repository (`busybox` → `docker.io/library/busybox`), the tag and the digest.

export interface ImageRef {
  /** Domain and path, normalized: docker.io/library/busybox, 10.0.0.1:5000/team/app. */
  repository: string;
  /** The registry host (and port): docker.io, localhost:5000. */
  domain: string;
  tag?: string;
  digest?: string;
}

const DEFAULT_DOMAIN = 'docker.io';

/** Splits a reference; throws on an empty or malformed one (upper case in the path, empty components). */
export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at); }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon); }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  let domain = DEFAULT_DOMAIN;
  let path = rest;
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    domain = first === 'index.docker.io' ? DEFAULT_DOMAIN : first;
    path = rest.slice(slash + 1);
  }
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;
  if (!path || path.split('/').some((p) => !p) || path !== path.toLowerCase() || (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag))) {
    throw new Error(`couldn't parse image name "${image}": invalid reference format`);
  }
  return { repository: `${domain}/${path}`, domain, ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The kubelet's applyDefaultImageTag: `:latest` when there is neither a tag nor a digest. */
export function withDefaultTag(image: string): string {
  const ref = parseImageRef(image);
  return ref.tag === undefined && !ref.digest ? `${image}:latest` : image;
}
