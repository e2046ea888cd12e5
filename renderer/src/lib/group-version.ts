// An apiVersion's group and version (no imports: the editor's store, on the first paint, uses it).

/** "apps/v1" → apps, v1; "v1" → '', v1. */
export function groupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
