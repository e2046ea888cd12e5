// k3s' registries.yaml `mirrors.<registry>.rewrite` as the node keeps it (REGISTRY_REWRITE_FILE, written by the node manager):
// containerd 1.6's hosts.toml has no rewrites, so the agent pulls the rewritten repository from each of the mirror's
// endpoints itself and names the image as the pod asked (vm-images/agent/pods/mirror-rewrite.ts). Pure: the node manager
// writes this shape, checks the expressions with goRegExp, and the agent reads it.

export const REGISTRY_REWRITE_FILE = '/etc/flotilla/registry-rewrite.json';

export interface MirrorRewrite {
  /** The mirror's endpoints' host[:port], in order (rewrites apply to these, never to the registry's default endpoint). */
  endpoints: string[];
  /** Regular expression (Go's RE2 syntax) → replacement (`$1`, `${1}`, `${name}`), tried in order on the repository path. */
  rewrite: Array<[string, string]>;
}

export interface RegistryRewriteFile {
  /** By the registry host they mirror ('docker.io' for Docker Hub, '*' for any registry without its own). */
  mirrors: Record<string, MirrorRewrite>;
}

/** A Go (RE2) expression as a JavaScript RegExp (global, as Go's ReplaceAllString); throws on a malformed one. */
export function goRegExp(expr: string): RegExp {
  // RE2's named groups (?P<name>…) are (?<name>…) in JavaScript.
  return new RegExp(expr.replace(/\(\?P</g, '(?<'), 'g');
}

/** Go's Regexp.Expand template in JavaScript's replacement syntax: `${1}` → `$1`, `${name}`/`$name` → `$<name>`. */
export function goReplacement(template: string): string {
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_m, whole: string, braced?: string, bare?: string) => {
    if (whole === '$') return '$$';
    const name = braced ?? bare ?? '';
    return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
  });
}

/** The repository path after the first rewrite that changes it (k3s' order: as listed), or undefined when none does. */
export function rewritePath(path: string, rewrite: ReadonlyArray<readonly [string, string]>): string | undefined {
  for (const [expr, replacement] of rewrite) {
    const out = path.replace(goRegExp(expr), goReplacement(replacement));
    if (out !== path) return out;
  }
  return undefined;
}

/** An image reference split as containerd resolves it: `docker.io/library/x:1` → docker.io, library/x, `:1`. */
export interface SplitRef { host: string; path: string; suffix: string }

/** Splits a normalized reference (domain/path[:tag][@digest]). */
export function splitRef(ref: string): SplitRef | undefined {
  const at = ref.indexOf('@');
  const named = at >= 0 ? ref.slice(0, at) : ref;
  const colon = named.lastIndexOf(':');
  const name = colon > named.lastIndexOf('/') ? named.slice(0, colon) : named;
  const slash = name.indexOf('/');
  if (slash <= 0) return undefined;
  return { host: name.slice(0, slash), path: name.slice(slash + 1), suffix: ref.slice(name.length) };
}

/**
 * Where to pull `ref` (normalized: docker.io/library/x:1) from before the usual pull: the rewritten repository at each of
 * its registry's mirror endpoints (`localhost:5000/mirrored/x:1`), in order; empty when no rewrite applies.
 */
export function rewrittenRefs(ref: string, file: RegistryRewriteFile): string[] {
  const split = splitRef(ref);
  // A registry's own mirror, else the `*` one (as containerd's hosts.toml `_default`).
  const mirror = split && (file.mirrors[split.host] ?? file.mirrors['*']);
  if (!split || !mirror) return [];
  const path = rewritePath(split.path, mirror.rewrite);
  if (path === undefined) return [];
  return mirror.endpoints.map((host) => `${host}/${path}${split.suffix}`);
}
