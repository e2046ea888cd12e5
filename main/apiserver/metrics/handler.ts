// GET /metrics: the registry in Prometheus' text exposition format (authorized before, as the
// non-resource URL /metrics: system:monitoring's, or the admin's).
import type { ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Store } from '../../store/types';
import { RESOURCES, storagePrefix } from '../../api/resources';

export async function serveMetrics(registry: Registry, res: ServerResponse): Promise<void> {
  const text = await registry.metrics();
  res.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** apiserver_storage_objects: stored objects per resource (`<plural>.<group>`, core ones by plural), CRDs' included. */
export function storedObjectCounts(store: Store): Array<[string, number]> {
  const seen = new Set<string>();
  const out: Array<[string, number]> = [];
  for (const r of RESOURCES) {
    const prefix = storagePrefix(r);
    if (seen.has(prefix)) continue;
    seen.add(prefix);
    out.push([r.group ? `${r.plural}.${r.group}` : r.plural, store.count(prefix)]);
  }
  return out;
}
