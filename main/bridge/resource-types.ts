// The served resource types of one bridge session, from discovery, and the checks that turn a
// browser request (group, version, resource, namespace, name) into a client ResourceRef.
import type { ResourceRef } from '../client/types';
import type { AnyObjectRef, ApiResourceType, ResourceListRequest } from './contract';
import type { ApiEndpoint } from './api-http';
import { discoverResources } from './discovery';
import { BridgeFailure } from './errors';
import { BadRequest } from './kinds';

/** How long a discovery answer is reused before a miss asks again. */
const FRESH_MS = 2000;

export interface ResolvedType {
  type: ApiResourceType;
  ref: ResourceRef;
}

/** A string field of a request: '' and absent are undefined; a required one must be there. */
function field(req: unknown, name: string, required: boolean): string | undefined {
  if (req === null || typeof req !== 'object') throw new BadRequest('the request must be an object');
  const v = (req as Record<string, unknown>)[name];
  if (v !== undefined && v !== null && typeof v !== 'string') throw new BadRequest(`${name} must be a string`);
  if (!v && required) throw new BadRequest(`${name} must be a non-empty string`);
  return v || undefined;
}

export class ResourceTypes {
  private cache?: { at: number; types: ApiResourceType[] };

  constructor(private readonly api: ApiEndpoint) {}

  async all(fresh = false): Promise<ApiResourceType[]> {
    if (!fresh && this.cache && Date.now() - this.cache.at < FRESH_MS) return this.cache.types;
    const types = await discoverResources(this.api);
    this.cache = { at: Date.now(), types };
    return types;
  }

  /** The type a request names; a type discovery does not know (yet) is asked for once more, then refused as kubectl does. */
  async resolve(req: Pick<ResourceListRequest, 'group' | 'version' | 'resource'>): Promise<ResolvedType> {
    const group = field(req, 'group', false) ?? '';
    const version = field(req, 'version', true)!;
    const resource = field(req, 'resource', true)!;
    const find = (types: ApiResourceType[]) => types.find((t) => t.group === group && t.version === version && t.resource === resource);
    const type = find(await this.all()) ?? find(await this.all(true));
    if (!type) throw new BridgeFailure(404, 'NotFound', `the server doesn't have a resource type "${resource}"`);
    return { type, ref: { group, version, plural: resource, namespaced: type.namespaced } };
  }

  /** A list request's namespace: only for namespaced types (none: every namespace). */
  static namespaceOf(t: ResolvedType, req: ResourceListRequest | AnyObjectRef): string | undefined {
    const ns = field(req, 'namespace', false);
    return t.type.namespaced ? ns : undefined;
  }

  /** An object request: its name, and its namespace, which a namespaced type requires. */
  static objectOf(t: ResolvedType, req: AnyObjectRef): { name: string; namespace?: string } {
    const name = field(req, 'name', true)!;
    const namespace = ResourceTypes.namespaceOf(t, req);
    if (t.type.namespaced && !namespace) throw new BadRequest(`${t.type.resource} are namespaced: the request needs a namespace`);
    return { name, namespace };
  }
}

/** The URL path of a resource's collection (in one namespace, or all). */
export function collectionPath(ref: ResourceRef, namespace?: string): string {
  let p = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  if (ref.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  return `${p}/${ref.plural}`;
}
