// OpenAPI schemas of the kinds this project defines itself (flotilla.dev Machine): served as custom kinds are, from
// a JSON schema made of the structural schema the server checks them against (api/schema/machine-schema.ts), with
// the descriptions of main/api/types.ts where a field has one.
import type { ResourceInfo } from '../../api/resources';
import type { SchemaDoc } from '../../api/schema/format';
import { parseTypeRef, type ParsedRef } from '../../api/schema/format';
import { MACHINE_SCHEMA } from '../../api/schema/machine-schema';
import type { JSONSchemaProps } from '../../api/types';

const ROOTS: Record<string, [doc: SchemaDoc, root: string]> = { 'flotilla.dev/Machine': [MACHINE_SCHEMA, 'Machine'] };

const DESCRIPTIONS: Record<string, string> = {
  Machine: 'Machine is a worker node machine (a sandbox, Lima or Multipass VM) that Flotilla provisions and bootstraps as a node.',
  'MachineSpec.provider': 'The provider that runs the machine: sandbox, lima or multipass.',
  'MachineSpec.running': 'Desired power state; `node stop` sets false, `node start` true. Defaults to true.',
  'MachineStatus.phase': 'Pending, Provisioning, Bootstrapping, Running, Stopped, Failed or Deleting.',
  'MachineStatus.attempts': 'The failed attempts of the latest provisioning, oldest first.',
  MachineAttempt: 'A failed provisioning attempt (transient failures are retried with backoff up to a limit).',
};

function schemaOf(doc: SchemaDoc, ref: ParsedRef, seen: Set<string>): JSONSchemaProps {
  switch (ref.kind) {
    case 'array': return { type: 'array', items: schemaOf(doc, ref.of, seen) };
    case 'map': return { type: 'object', additionalProperties: schemaOf(doc, ref.of, seen) };
    case 'primitive':
      if (ref.name === 'date') return { type: 'string', format: 'date-time' };
      if (ref.name === 'object(free)') return { type: 'object' };
      if (ref.name === 'int-or-string') return { type: 'string', format: 'int-or-string' };
      return { type: ref.name === 'quantity' ? 'string' : ref.name };
    case 'named': {
      const type = doc[ref.name];
      if (!type || seen.has(ref.name)) return { type: 'object' };
      const properties: Record<string, JSONSchemaProps> = {};
      for (const [field, fieldRef] of Object.entries(type.fields)) {
        if (field === 'apiVersion' || field === 'kind' || field === 'metadata') continue;
        const s = schemaOf(doc, parseTypeRef(fieldRef), new Set([...seen, ref.name]));
        const description = DESCRIPTIONS[`${ref.name}.${field}`];
        properties[field] = description ? { ...s, description } : s;
      }
      return { type: 'object', ...(DESCRIPTIONS[ref.name] ? { description: DESCRIPTIONS[ref.name] } : {}), properties };
    }
  }
}

/** The JSON schema of one of our own kinds, or undefined for any other row. */
export function ownKindSchema(r: Pick<ResourceInfo, 'group' | 'kind'>): JSONSchemaProps | undefined {
  const root = ROOTS[`${r.group}/${r.kind}`];
  return root && schemaOf(root[0], { kind: 'named', name: root[1] }, new Set());
}
