// Every built-in kind the server serves has a generated schema: a kind added to main/api/resources.ts without
// its Go package among scripts/k8s-sources.ts' packages (and a regenerated definitions file) fails here.
import { describe, expect, it } from 'vitest';
import { CONVERTED_RESOURCES, RESOURCES } from '../../../main/api/resources';
import { builtinDefinitions } from '../../../main/apiserver/openapi/definitions';

/** Served from types of their own, not from k8s.io/api (k8s.io/metrics is not among the sources). */
const NOT_GENERATED = new Set(['metrics.k8s.io']);

describe('generated OpenAPI definitions', () => {
  it('hold a schema with its group-version-kind for every served built-in kind and its list', () => {
    const byGvk = new Set<string>();
    for (const d of Object.values(builtinDefinitions())) {
      for (const g of d['x-kubernetes-group-version-kind'] ?? []) byGvk.add(`${g.group}/${g.version}/${g.kind}`);
    }
    const missing = [...RESOURCES, ...CONVERTED_RESOURCES]
      .filter((r) => !r.custom && !r.crd && !NOT_GENERATED.has(r.group))
      .flatMap((r) => [r.kind, ...(r.virtual ? [] : [r.listKind])].map((k) => `${r.group}/${r.version}/${k}`))
      .filter((k) => !byGvk.has(k));
    expect(missing).toEqual([]);
  });
});
