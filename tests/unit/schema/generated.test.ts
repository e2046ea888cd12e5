import { describe, expect, it } from 'vitest';
import schema from '../../../main/api/schema/schema.generated.json';
import { parseTypeRef, type ParsedRef, type SchemaDoc } from '../../../main/api/schema/format';
import { MACHINE_SCHEMA } from '../../../main/api/schema/machine-schema';
import { BUILTIN_ROOTS, FLOTILLA_ROOTS } from '../../../main/api/schema/roots';

const generated: SchemaDoc = schema;
const all: SchemaDoc = { ...generated, ...MACHINE_SCHEMA };

function named(r: ParsedRef): string[] {
  if (r.kind === 'named') return [r.name];
  if (r.kind === 'array' || r.kind === 'map') return named(r.of);
  return [];
}

describe('schema.generated.json', () => {
  it('has every root kind, and every referenced type is defined', () => {
    for (const t of [...Object.values(BUILTIN_ROOTS), ...Object.values(FLOTILLA_ROOTS)]) expect(all[t], t).toBeDefined();
    for (const [name, t] of Object.entries(all)) {
      for (const [field, ref] of Object.entries(t.fields)) {
        for (const n of named(parseTypeRef(ref))) expect(all[n], `${name}.${field} → ${n}`).toBeDefined();
      }
    }
  });

  it('holds only types reachable from the roots', () => {
    const seen = new Set<string>();
    const queue = [...new Set(Object.values(BUILTIN_ROOTS))];
    while (queue.length) {
      const n = queue.shift() ?? '';
      if (seen.has(n)) continue;
      seen.add(n);
      for (const ref of Object.values(generated[n].fields)) queue.push(...named(parseTypeRef(ref)));
    }
    expect([...seen].sort()).toEqual(Object.keys(generated).sort());
  });

  it('maps client-node types to the compact refs (spot checks)', () => {
    expect(generated.V1DeploymentSpec.fields.replicas).toBe('integer');
    expect(generated.V1ObjectMeta.fields.labels).toBe('map<string>');
    expect(generated.V1ObjectMeta.fields.creationTimestamp).toBe('date');
    expect(generated.V1PodSpec.fields.containers).toBe('array<V1Container>');
    expect(generated.V1ResourceRequirements.fields.limits).toBe('map<quantity>');
    expect(generated.V1EmptyDirVolumeSource.fields.sizeLimit).toBe('quantity');
    expect(generated.V1ServicePort.fields.targetPort).toBe('int-or-string');
    expect(generated.V1ManagedFieldsEntry.fields.fieldsV1).toBe('object(free)');
    expect(generated.CoreV1Event.fields.eventTime).toBe('date');
    expect(generated.V1Container.fields.image).toBe('string');
  });

  it('parses type refs', () => {
    expect(parseTypeRef('array<map<quantity>>')).toEqual({ kind: 'array', of: { kind: 'map', of: { kind: 'primitive', name: 'quantity' } } });
    expect(parseTypeRef('V1Pod')).toEqual({ kind: 'named', name: 'V1Pod' });
    expect(parseTypeRef('object(free)')).toEqual({ kind: 'primitive', name: 'object(free)' });
  });
});
