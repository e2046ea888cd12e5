// The paths of an OpenAPI document: for each served resource its collection, item and status paths with one
// operation per verb, each carrying x-kubernetes-action, x-kubernetes-group-version-kind and Kubernetes'
// operationId (`listAppsV1NamespacedDeployment`), its parameters (fieldValidation on writes, which kubectl reads
// to learn the server validates fields itself) and its request and response schemas, in v2 or v3 form.
import type { ResourceInfo } from '../../api/resources';
import type { Flavor, Rendered } from './schemas';
import { refTo } from './schemas';

export interface PathResource {
  row: ResourceInfo;
  /** Definition names of the kind and its list, when the document has them. */
  kindRef?: string;
  listRef?: string;
}

const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
/** Custom kinds take no strategic merge patch (kubectl reads the patch body types to choose its patch). */
const CUSTOM_PATCH_TYPES = PATCH_TYPES.filter((t) => t !== 'application/strategic-merge-patch+json');

interface Param { name: string; in: 'path' | 'query'; description: string; required?: boolean }

const P: Record<string, Param> = {
  name: { name: 'name', in: 'path', required: true, description: 'name of the resource' },
  namespace: { name: 'namespace', in: 'path', required: true, description: 'object name and auth scope, such as for teams and projects' },
  pretty: { name: 'pretty', in: 'query', description: "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)." },
  dryRun: { name: 'dryRun', in: 'query', description: 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed' },
  fieldManager: { name: 'fieldManager', in: 'query', description: 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.' },
  fieldValidation: { name: 'fieldValidation', in: 'query', description: 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.' },
  force: { name: 'force', in: 'query', description: 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.' },
  labelSelector: { name: 'labelSelector', in: 'query', description: 'A selector to restrict the list of returned objects by their labels. Defaults to everything.' },
  fieldSelector: { name: 'fieldSelector', in: 'query', description: 'A selector to restrict the list of returned objects by their fields. Defaults to everything.' },
  watch: { name: 'watch', in: 'query', description: 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.' },
};

function param(p: Param, flavor: Flavor): Rendered {
  const type = p.name === 'force' || p.name === 'watch' ? 'boolean' : 'string';
  const base: Rendered = { description: p.description, in: p.in, name: p.name, ...(p.required ? { required: true } : {}) };
  return flavor === 'v2' ? { ...base, type, uniqueItems: true } : { ...base, schema: { type, uniqueItems: true } };
}

/** `apps` → `Apps`, `rbac.authorization.k8s.io` → `RbacAuthorization`, '' → `Core`. */
function groupWord(group: string): string {
  if (!group) return 'Core';
  return group.replace(/\.k8s\.io$/, '').split(/[.-]/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('');
}

function gvPrefix(r: ResourceInfo): string {
  return r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
}

interface OpSpec { verb: string; action: string; params: Param[]; body?: string; bodyTypes?: string[]; response?: string; codes: string[] }

function operation(r: ResourceInfo, kind: string, id: string, spec: OpSpec, flavor: Flavor): Rendered {
  const schema = (name: string | undefined) => (name ? { $ref: refTo(name, flavor) } : undefined);
  const op: Rendered = {
    description: `${spec.verb} ${kind}`, operationId: id,
    parameters: spec.params.map((p) => param(p, flavor)),
    tags: [`${groupWord(r.group).charAt(0).toLowerCase()}${groupWord(r.group).slice(1)}_${r.version}`],
    'x-kubernetes-action': spec.action,
    'x-kubernetes-group-version-kind': { group: r.group, kind: r.kind, version: r.version },
  };
  const responseSchema = schema(spec.response);
  const responses: Record<string, Rendered> = {};
  for (const code of spec.codes) {
    const description = code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK';
    if (flavor === 'v2') responses[code] = { description, ...(responseSchema ? { schema: responseSchema } : {}) };
    else responses[code] = { description, ...(responseSchema ? { content: { 'application/json': { schema: responseSchema }, 'application/yaml': { schema: responseSchema } } } : {}) };
  }
  responses['401'] = { description: 'Unauthorized' };
  op.responses = responses;
  const bodySchema = schema(spec.body);
  if (bodySchema) {
    if (flavor === 'v2') (op.parameters as Rendered[]).unshift({ in: 'body', name: 'body', required: true, schema: bodySchema });
    else op.requestBody = { content: Object.fromEntries((spec.bodyTypes ?? ['*/*']).map((t) => [t, { schema: bodySchema }])), required: true };
  }
  if (flavor === 'v2') {
    op.consumes = spec.bodyTypes ?? ['*/*'];
    op.produces = ['application/json', 'application/yaml'];
    op.schemes = ['https'];
  }
  return op;
}

/** The path items of one resource. */
export function resourcePaths(res: PathResource, flavor: Flavor): Record<string, Rendered> {
  const { row: r, kindRef, listRef } = res;
  const ns = r.namespaced ? 'Namespaced' : '';
  const gv = `${groupWord(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}`;
  const collection = `${gvPrefix(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
  const scope = r.namespaced ? [P.namespace] : [];
  const write = [P.dryRun, P.fieldManager, P.fieldValidation];
  const has = (v: string) => r.verbs.includes(v);
  const paths: Record<string, Rendered> = {};
  const item = (id: string, spec: OpSpec) => operation(r, r.kind, id, spec, flavor);

  const coll: Rendered = {};
  if (has('list')) coll.get = item(`list${gv}${ns}${r.kind}`, { verb: 'list or watch objects of kind', action: 'list', params: [P.labelSelector, P.fieldSelector, P.watch], response: listRef, codes: ['200'] });
  if (has('create')) coll.post = item(`create${gv}${ns}${r.kind}`, { verb: 'create a', action: 'post', params: write, body: kindRef, response: kindRef, codes: ['200', '201', '202'] });
  if (has('deletecollection')) coll.delete = item(`delete${gv}Collection${ns}${r.kind}`, { verb: 'delete collection of', action: 'deletecollection', params: [P.dryRun, P.labelSelector, P.fieldSelector], body: DELETE_OPTIONS, response: STATUS, codes: ['200'] });
  if (Object.keys(coll).length) paths[collection] = { ...coll, parameters: [...scope, P.pretty].map((p) => param(p, flavor)) };

  const one = (suffix: string, what: string, verbs: string[]): Rendered => {
    const has = (v: string) => verbs.includes(v);
    const ops: Rendered = {};
    if (has('get')) ops.get = item(`read${gv}${ns}${r.kind}${suffix}`, { verb: `read ${what} the specified`, action: 'get', params: [], response: kindRef, codes: ['200'] });
    if (has('update')) ops.put = item(`replace${gv}${ns}${r.kind}${suffix}`, { verb: `replace ${what} the specified`, action: 'put', params: write, body: kindRef, response: kindRef, codes: ['200', '201'] });
    if (has('patch')) ops.patch = item(`patch${gv}${ns}${r.kind}${suffix}`, { verb: `partially update ${what} the specified`, action: 'patch', params: [...write, P.force], body: PATCH, bodyTypes: r.custom || r.crd ? CUSTOM_PATCH_TYPES : PATCH_TYPES, response: kindRef, codes: ['200', '201'] });
    if (has('delete') && !suffix) ops.delete = item(`delete${gv}${ns}${r.kind}`, { verb: 'delete a', action: 'delete', params: [P.dryRun], body: DELETE_OPTIONS, response: STATUS, codes: ['200', '202'] });
    return ops;
  };
  const itemOps = one('', '', r.verbs);
  if (Object.keys(itemOps).length) paths[`${collection}/{name}`] = { ...itemOps, parameters: [P.name, ...scope, P.pretty].map((p) => param(p, flavor)) };
  const status = r.subresources.find((s) => s.name === 'status');
  if (status) {
    paths[`${collection}/{name}/status`] = { ...one('Status', 'status of', status.verbs), parameters: [P.name, ...scope, P.pretty].map((p) => param(p, flavor)) };
  }
  if (r.namespaced && has('list')) {
    paths[`${gvPrefix(r)}/${r.plural}`] = {
      get: item(`list${gv}${r.kind}ForAllNamespaces`, { verb: 'list or watch objects of kind', action: 'list', params: [P.labelSelector, P.fieldSelector, P.watch], response: listRef, codes: ['200'] }),
      parameters: [param(P.pretty, flavor)],
    };
  }
  return paths;
}
