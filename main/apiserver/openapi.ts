// The OpenAPI v3 index and per-group documents kubectl reads to learn that the server validates
// fields itself (fieldValidation): each patchable path carries x-kubernetes-group-version-kind and
// a fieldValidation parameter.
import { createHash } from 'node:crypto';
import { CONVERTED_RESOURCES, RESOURCES, groupVersions } from '../api/resources';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const fieldValidationParam = {
  name: 'fieldValidation',
  in: 'query',
  description: 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict.',
  schema: { type: 'string', uniqueItems: true },
};

function doc(group: string, version: string) {
  const paths: Record<string, unknown> = {};
  for (const r of [...RESOURCES, ...CONVERTED_RESOURCES].filter((x) => x.group === group && x.version === version && !x.virtual)) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const base = `/${gvPath(group, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    const op = (verb: string) => ({
      operationId: `${verb}${r.kind}`,
      'x-kubernetes-action': verb,
      'x-kubernetes-group-version-kind': gvk,
      parameters: [fieldValidationParam],
      responses: { '200': { description: 'OK' } },
    });
    paths[base] = { post: op('post'), get: { ...op('list'), parameters: [] } };
    paths[`${base}/{name}`] = { get: { ...op('get'), parameters: [] }, put: op('put'), patch: op('patch'), delete: { ...op('delete'), parameters: [] } };
  }
  return { openapi: '3.0.0', info: { title: 'Flotilla', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}

const docs = new Map<string, { body: string; hash: string }>();
for (const gv of groupVersions()) {
  const body = JSON.stringify(doc(gv.group, gv.version));
  docs.set(gvPath(gv.group, gv.version), { body, hash: createHash('sha512').update(body).digest('hex').slice(0, 64).toUpperCase() });
}

export function openapiIndex() {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [p, d] of docs) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${d.hash}` };
  return { paths };
}

/** The document for `api/v1` or `apis/apps/v1`, as a JSON string. */
export function openapiDocument(path: string): string | undefined {
  return docs.get(path)?.body;
}
