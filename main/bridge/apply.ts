// Server-side apply of a YAML text (one or more documents) dropped onto the window; kinds from the shown cluster's discovery.
import { parseAllDocuments } from 'yaml';
import type { KObject } from '../api/types';
import type { ApiClient } from '../client/types';
import type { AppliedObject } from './contract';
import { BridgeFailure } from './errors';
import type { KindResolver } from './kind-lookup';

export const FIELD_MANAGER = 'flotilla-ui';

export function parseYamlObjects(text: string): KObject[] {
  const docs = parseAllDocuments(text);
  const out: KObject[] = [];
  for (const [i, doc] of docs.entries()) {
    if (doc.errors.length > 0) throw new BridgeFailure(400, 'BadRequest', `YAML document ${i + 1}: ${doc.errors[0].message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new BridgeFailure(400, 'BadRequest', `YAML document ${i + 1} is not an object`);
    const obj = value as KObject;
    if (obj.kind === 'List' && Array.isArray(obj.items)) out.push(...(obj.items as KObject[]));
    else out.push(obj);
  }
  if (out.length === 0) throw new BridgeFailure(400, 'BadRequest', 'the file holds no objects');
  return out;
}

export async function applyYaml(client: ApiClient, kinds: KindResolver, text: string, defaultNamespace = 'default'): Promise<AppliedObject[]> {
  const objects = parseYamlObjects(text);
  const applied: AppliedObject[] = [];
  for (const obj of objects) {
    const apiVersion = obj.apiVersion ?? '';
    const kind = obj.kind ?? '';
    const name = obj.metadata?.name;
    const where = applied.length > 0 ? ` (after applying ${applied.map((a) => `${a.kind}/${a.name}`).join(', ')})` : '';
    if (!apiVersion || !kind) throw new BridgeFailure(400, 'BadRequest', `an object has no apiVersion or kind${where}`);
    if (!name) throw new BridgeFailure(400, 'BadRequest', `${kind} has no metadata.name${where}`);
    const r = await kinds(apiVersion, kind);
    if (!r) throw new BridgeFailure(404, 'NotFound', `the server does not serve ${kind} in ${apiVersion}${where}`);
    const namespace = r.namespaced ? obj.metadata?.namespace ?? defaultNamespace : undefined;
    try {
      await client.patch(r, name, r.namespaced ? { ...obj, metadata: { ...obj.metadata, namespace } } : obj, 'apply', { namespace, fieldManager: FIELD_MANAGER, force: true });
    } catch (e) {
      if (e instanceof Error && where) e.message += where;
      throw e;
    }
    applied.push({ apiVersion, kind, name, namespace });
  }
  return applied;
}
