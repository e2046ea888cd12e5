// The OpenAPI documents: /openapi/v2 (Swagger 2.0, every served kind) and the /openapi/v3 index with one document
// per group version (`api/v1`, `apis/apps/v1`), each with its paths (paths.ts) and the schemas they reach
// (components.schemas): built-in kinds from the generated definitions, CustomResourceDefinitions' kinds from their
// openAPIV3Schema (custom.ts), our own kinds from their structural schema (own-kinds.ts). Built lazily at the first
// request and cached; a group version's document is rebuilt when the rows it serves change (a CRD stored, changed or
// deleted), which changes its hash in the index.
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../../api/resources';
import { CONVERTED_RESOURCES, RESOURCES, groupVersions } from '../../api/resources';
import { builtinDefinitions, definitionsDigest } from './definitions';
import { customDefinitionName, customDefinitions } from './custom';
import { ownKindSchema } from './own-kinds';
import type { PathResource } from './paths';
import { resourcePaths } from './paths';
import type { Flavor, Rendered } from './schemas';
import { reachable, renderDefinition } from './schemas';

/** The Kubernetes release the documents describe (the server's /version minor). */
const INFO = { title: 'Kubernetes', version: 'v1.32.0' };
/** Definitions every document carries beside its kinds (errors, deletes, patches, watch events). */
const COMMON = ['io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch', 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent'];

/** A document: its hash is of what it is built from (the generated definitions and the rows), so the index needs no body. */
interface Cached { rows: readonly ResourceInfo[]; hash: string; body?: string }

let byGvk: Map<string, string> | undefined;

/** The generated definition of a group/version/kind (the x-kubernetes-group-version-kind each root carries). */
function builtinName(group: string, version: string, kind: string): string | undefined {
  if (!byGvk) {
    byGvk = new Map();
    for (const [name, def] of Object.entries(builtinDefinitions())) {
      for (const g of def['x-kubernetes-group-version-kind'] ?? []) if (!byGvk.has(`${g.group}/${g.version}/${g.kind}`)) byGvk.set(`${g.group}/${g.version}/${g.kind}`, name);
    }
  }
  return byGvk.get(`${group}/${version}/${kind}`);
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function servedRows(): ResourceInfo[] {
  return [...RESOURCES, ...CONVERTED_RESOURCES];
}

/** Paths and schemas of a set of rows, in one flavor. */
function build(rows: readonly ResourceInfo[], flavor: Flavor): { paths: Record<string, Rendered>; schemas: Record<string, Rendered> } {
  const defs = builtinDefinitions();
  const roots = new Set(COMMON);
  const schemas: Record<string, Rendered> = {};
  const paths: Record<string, Rendered> = {};
  for (const row of rows) {
    const res: PathResource = { row };
    const own = row.crd ? undefined : ownKindSchema(row);
    if (row.crd || own) {
      Object.assign(schemas, customDefinitions(own ? { ...row, schema: own } : row, flavor));
      res.kindRef = customDefinitionName(row);
      res.listRef = `${res.kindRef}List`;
      roots.add('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').add('io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta');
    } else {
      res.kindRef = builtinName(row.group, row.version, row.kind);
      res.listRef = builtinName(row.group, row.version, row.listKind);
      for (const name of [res.kindRef, res.listRef]) if (name) roots.add(name);
      for (const s of row.subresources) {
        const name = builtinName(s.group, s.version, s.kind);
        if (name) roots.add(name);
      }
    }
    Object.assign(paths, resourcePaths(res, flavor));
  }
  for (const name of reachable(roots, defs)) schemas[name] = renderDefinition(name, defs[name], flavor);
  return { paths: sortKeys(paths), schemas: sortKeys(schemas) };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sameRows(a: readonly ResourceInfo[], b: readonly ResourceInfo[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

const v3 = new Map<string, Cached>();
let v2: Cached | undefined;

/** The hash of a document built from `rows` (sha512 in upper-case hex, as kube-openapi writes it). */
function hashOf(flavor: Flavor, rows: readonly ResourceInfo[]): string {
  return createHash('sha512').update(`${flavor}\n${definitionsDigest()}\n${JSON.stringify(rows)}`).digest('hex').toUpperCase();
}

function v3Entry(group: string, version: string): Cached {
  const path = gvPath(group, version);
  const rows = servedRows().filter((r) => r.group === group && r.version === version);
  const cached = v3.get(path);
  if (cached && sameRows(cached.rows, rows)) return cached;
  const hash = hashOf('v3', rows);
  const entry: Cached = cached?.hash === hash ? { ...cached, rows } : { rows, hash };
  v3.set(path, entry);
  return entry;
}

/**
 * GET /openapi/v3: every group version's document with the hash of its current content; `remote` are the paths
 * (`apis/<group>/<version>`) aggregated servers serve, listed without a hash (their documents are theirs).
 */
export function openapiIndex(remote: readonly string[] = []): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const served = new Set<string>();
  for (const gv of groupVersions()) {
    const p = gvPath(gv.group, gv.version);
    served.add(p);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${v3Entry(gv.group, gv.version).hash}` };
  }
  for (const p of v3.keys()) if (!served.has(p)) v3.delete(p);
  for (const p of remote) paths[p] = { serverRelativeURL: `/openapi/v3/${p}` };
  return { paths };
}

/** The document for `api/v1` or `apis/apps/v1` with its hash, or undefined for a group version not served. */
export function openapiDocument(path: string): { body: string; hash: string } | undefined {
  const gv = groupVersions().find((g) => gvPath(g.group, g.version) === path);
  if (!gv) return undefined;
  const entry = v3Entry(gv.group, gv.version);
  if (entry.body === undefined) {
    const { paths, schemas } = build(entry.rows, 'v3');
    entry.body = JSON.stringify({ openapi: '3.0.0', info: INFO, paths, components: { schemas } });
  }
  return { body: entry.body, hash: entry.hash };
}

/** GET /openapi/v2: the Swagger 2.0 document of every served resource, as JSON text. */
export function openapiV2(): { body: string; hash: string } {
  const rows = servedRows();
  if (v2?.body === undefined || !sameRows(v2.rows, rows)) {
    const hash = hashOf('v2', rows);
    if (v2?.body === undefined || v2.hash !== hash) {
      const { paths, schemas } = build(rows, 'v2');
      const body = JSON.stringify({ swagger: '2.0', info: INFO, paths, definitions: schemas, security: [{ BearerToken: [] }],
        securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } } });
      v2 = { rows, hash, body };
    } else v2 = { ...v2, rows };
  }
  return { body: v2.body!, hash: v2.hash };
}
