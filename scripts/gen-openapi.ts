// Generates main/apiserver/openapi/definitions.generated.json: the OpenAPI definitions of every built-in kind the
// server serves (main/api/resources.ts RESOURCES and CONVERTED_RESOURCES, their lists and the kinds their
// subresources speak) and of every type they reach, from the Go types and doc comments of k8s.io/api,
// k8s.io/apimachinery, k8s.io/apiextensions-apiserver and k8s.io/kube-aggregator (APIService; read by k8s-sources.ts,
// turned into definitions by openapi-definitions.ts). Stored gzip-compressed in base64; the server inflates it at the
// first OpenAPI request. Run with checkouts of the modules at the same release (v0.32.x for kubectl 1.32); without
// --aggregator, APIService is skipped:
//   npx tsx scripts/gen-openapi.ts --api ~/src/api --apimachinery ~/src/apimachinery --apiextensions ~/src/apiextensions-apiserver \
//     --aggregator ~/src/kube-aggregator --release v0.32.13
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CONVERTED_RESOURCES, RESOURCES } from '../main/api/resources';
import type { DefinitionsFile, GroupVersionKind } from '../main/apiserver/openapi/definitions';
import { k8sPackages, parseGoPackage, parseProto } from './k8s-sources';
import { DefinitionBuilder, sortKeys, sourcesFrom } from './openapi-definitions';

const { values } = parseArgs({ options: {
  api: { type: 'string' }, apimachinery: { type: 'string' }, apiextensions: { type: 'string' }, aggregator: { type: 'string' },
  release: { type: 'string' },
} });
if (!values.api || !values.apimachinery || !values.apiextensions) {
  throw new Error('usage: gen-openapi --api DIR --apimachinery DIR --apiextensions DIR [--aggregator DIR] [--release v0.32.9]');
}
const OUT = join(__dirname, '..', 'main', 'apiserver', 'openapi', 'definitions.generated.json');

const packages = k8sPackages({
  api: values.api, apimachinery: values.apimachinery, apiextensions: values.apiextensions, aggregator: values.aggregator,
});
const sources = sourcesFrom(packages, (pkg) => parseProto(packages, pkg), parseGoPackage);
const builder = new DefinitionBuilder(sources);

/**
 * The short package prefix of an API group's types: `apps/v1`, `core/v1`, `rbac/v1` (rbac.authorization.k8s.io),
 * `apiregistration/v1` (apiregistration.k8s.io, kube-aggregator's).
 */
function packageOf(group: string, version: string): string {
  return `${group ? group.split('.')[0] : 'core'}/${version}`;
}

const gvks = new Map<string, GroupVersionKind[]>();
function root(qualified: string, gvk: GroupVersionKind[]): void {
  const name = builder.add(qualified);
  const list = gvks.get(name) ?? [];
  for (const g of gvk) if (!list.some((x) => x.group === g.group && x.version === g.version && x.kind === g.kind)) list.push(g);
  gvks.set(name, list);
}

const groupVersions = new Map<string, { group: string; version: string }>();
for (const r of [...RESOURCES, ...CONVERTED_RESOURCES]) {
  if (r.custom || r.crd) continue; // Kinds of our own and CRDs' kinds have no Go types; their schemas are served from their own.
  const pkg = packageOf(r.group, r.version);
  if (!sources.protos.has(`${pkg}.${r.kind}`)) {
    console.log(`skipped ${r.group}/${r.version} ${r.kind}: no Go type in the given sources`);
    continue;
  }
  groupVersions.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  root(`${pkg}.${r.kind}`, [{ group: r.group, kind: r.kind, version: r.version }]);
  if (!r.virtual) root(`${pkg}.${r.listKind}`, [{ group: r.group, kind: r.listKind, version: r.version }]);
  for (const s of r.subresources) {
    const sub = `${packageOf(s.group, s.version)}.${s.kind}`;
    if (sources.protos.has(sub)) root(sub, [{ group: s.group, kind: s.kind, version: s.version }]);
  }
}
const everyVersion = (kind: string): GroupVersionKind[] => [...groupVersions.values()]
  .sort((a, b) => (a.group === b.group ? (a.version < b.version ? -1 : 1) : a.group < b.group ? -1 : 1))
  .map((gv) => ({ group: gv.group, kind, version: gv.version }));
root('meta/v1.Status', [{ group: '', kind: 'Status', version: 'v1' }]);
root('meta/v1.DeleteOptions', everyVersion('DeleteOptions'));
root('meta/v1.WatchEvent', everyVersion('WatchEvent'));
builder.add('meta/v1.Patch');
builder.add('meta/v1.APIResourceList');

for (const [name, list] of gvks) builder.definitions[name]['x-kubernetes-group-version-kind'] = list;
const definitions = sortKeys(builder.definitions);
const json = JSON.stringify(definitions);
const file: DefinitionsFile = {
  source: `k8s.io/api, k8s.io/apimachinery and k8s.io/apiextensions-apiserver ${values.release ?? ''}`.trim(),
  gzip: gzipSync(json, { level: 9 }).toString('base64'),
};
writeFileSync(OUT, `${JSON.stringify(file, null, 1)}\n`);
console.log(`wrote ${Object.keys(definitions).length} definitions (${json.length} bytes of JSON, ${file.gzip.length} in base64 gzip) to ${OUT}`);
