// Gateway API hostnames (pure): a wildcard `*.example.com` matches any name with that suffix and at least one more
// label (foo.example.com, foo.bar.example.com; not example.com); a listener's hostname and a route's hostnames
// intersect to the names both accept; a request's host picks the most specific name that matches it.

/** Whether a concrete host (lower case, no port) matches a hostname pattern; an absent pattern matches every host. */
export function hostMatches(pattern: string | undefined, host: string): boolean {
  if (!pattern) return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

/** The names a listener's hostname and a route's hostnames both accept ('' meaning every host). */
export function intersectHostnames(listener: string | undefined, route: readonly string[] | undefined): string[] {
  if (!route?.length) return [listener ?? ''];
  if (!listener) return [...route];
  const out: string[] = [];
  const wild = (n: string): boolean => n.startsWith('*.');
  for (const h of route) {
    let name: string | undefined;
    if (!wild(listener) && !wild(h)) name = h === listener ? h : undefined;
    else if (!wild(listener)) name = hostMatches(h, listener) ? listener : undefined;
    else if (!wild(h)) name = hostMatches(listener, h) ? h : undefined;
    else if (h === listener || hostMatches(listener, h.slice(2))) name = h;
    else if (hostMatches(h, listener.slice(2))) name = listener;
    if (name !== undefined) out.push(name);
  }
  return [...new Set(out)];
}

/**
 * How specifically a name matches a host, larger being more specific: an exact name beats every wildcard, a longer
 * wildcard a shorter one, and any wildcard the catch-all ''; -1 when it does not match.
 */
export function hostSpecificity(name: string, host: string): number {
  if (name === '') return 0;
  if (!hostMatches(name, host)) return -1;
  return name.startsWith('*.') ? name.length : 1_000_000;
}
