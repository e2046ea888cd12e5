// Server-side apply with real kubectl: a second manager applying the very values another applied
// becomes a co-owner (no conflict, both Apply entries own the fields), as Kubernetes does; a later
// change of such a field by either one then conflicts with the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
});
afterAll(async () => {
  await c?.stop();
});

interface Entry { manager: string; operation: string; fieldsV1?: Record<string, unknown> }

const ok = (args: string[], input?: string): Promise<string> => c.kubectlOk(args, { input });

const manifest = (a: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared, labels: {team: x}}\ndata: {a: "${a}", b: "2"}\n`;

describe('server-side apply: identical values make co-owners', () => {
  it('both managers own the fields after applying the same values', async () => {
    expect(await ok(['apply', '--server-side', '--field-manager=a', '-f', '-'], manifest('1'))).toContain('configmap/shared serverside-applied');
    expect(await ok(['apply', '--server-side', '--field-manager=b', '-f', '-'], manifest('1'))).toContain('configmap/shared serverside-applied');
    const obj = JSON.parse(await ok(['get', 'configmap', 'shared', '-o', 'json', '--show-managed-fields'])) as { metadata: { managedFields: Entry[] } };
    const entries = obj.metadata.managedFields.map((e) => [e.manager, e.operation]).sort();
    expect(entries).toEqual([['a', 'Apply'], ['b', 'Apply']]);
    const expected = { 'f:data': { 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { 'f:team': {} } } };
    for (const e of obj.metadata.managedFields) expect(e.fieldsV1, e.manager).toEqual(expected);
  });

  it('a co-owned field changed by one manager conflicts with the other', async () => {
    const r = await c.kubectl(['apply', '--server-side', '--field-manager=a', '-f', '-'], { input: manifest('changed') });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('conflict with "b": .data.a');
  });
});
