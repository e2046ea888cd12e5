// Boolean query parameters (watch, allowWatchBookmarks, sendInitialEvents, force, follow, stdin, …)
// as Kubernetes decodes them into its option structs (apimachinery runtime.Convert_Slice_string_To_bool):
// the first value decides; "0" and "false" in any case are false, any other value, the empty one
// included, is true. So the Python client's `watch=True` is a watch, and `?watch` alone is one too.

/** The parameter's value: undefined when absent (Kubernetes' *bool stays nil), else true or false. */
export function queryBool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/** The parameter as a plain flag: absent is false. */
export function queryFlag(q: URLSearchParams, name: string): boolean {
  return queryBool(q, name) ?? false;
}
