// `kubectl get` of custom resources with real kubectl: the version's additionalPrinterColumns (JSONPath with
// filters, typed cells, missing values as null cells, priority > 0 only with -o wide), NAME AGE when none are
// declared, and the CRD validation of its columns with apiextensions' messages.
import { describe, expect, it } from 'vitest';
import { testClusterAll } from '../../helpers/cluster';
import { crdManifest, defineCrd, PRESERVE_UNKNOWN_FIELDS, storedVersion } from '../../helpers/crd';

const c = testClusterAll();

const crd = (plural: string, kind: string, columns: string) =>
  crdManifest({ group: 'print.example.com', plural, kind }, storedVersion(PRESERVE_UNKNOWN_FIELDS, columns));

const COLUMNS = `    additionalPrinterColumns:
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
    - {name: Ratio, type: number, jsonPath: .spec.ratio}
    - {name: Paused, type: boolean, jsonPath: .spec.paused}
    - {name: Ports, type: string, jsonPath: .spec.ports, priority: 1, description: the ports}
    - {name: Started, type: date, jsonPath: .status.startedAt}
`;

describe('printer columns of custom resources', () => {
  it('prints the declared columns, typed, empty for missing values and wide columns only with -o wide', async () => {
    await defineCrd(c, crd('widgets', 'Widget', COLUMNS), 'widgets.print.example.com');
    const started = new Date(Date.now() - 3 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await c.kubectlOk(['apply', '-f', '-'], {
      input: `apiVersion: print.example.com/v1
kind: Widget
metadata: {name: full, namespace: default}
spec: {replicas: 3, ratio: 0.5, paused: false, ports: [{port: 80}, {name: tls, port: 443}]}
status:
  startedAt: "${started}"
  conditions: [{type: Synced, status: "False"}, {type: Ready, status: "True"}]
---
apiVersion: print.example.com/v1
kind: Widget
metadata: {name: sparse, namespace: default}
spec: {replicas: "three"}
`,
    });
    const out = await c.kubectlOk(['get', 'widgets']);
    const lines = out.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(lines).toEqual([
      ['NAME', 'REPLICAS', 'READY', 'RATIO', 'PAUSED', 'STARTED'],
      ['full', '3', 'True', '0.5', 'false', '3h'],
      ['sparse'], // null cells: kubectl prints nothing
    ]);
    const wide = (await c.kubectlOk(['get', 'widget', 'full', '-o', 'wide'])).trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(wide).toEqual([
      ['NAME', 'REPLICAS', 'READY', 'RATIO', 'PAUSED', 'PORTS', 'STARTED'],
      ['full', '3', 'True', '0.5', 'false', '[{"port":80},{"name":"tls","port":443}]', '3h'],
    ]);
  });

  it('sends Kubernetes column definitions in the Table', async () => {
    const table = await tableOf('/apis/print.example.com/v1/namespaces/default/widgets');
    expect(table.columnDefinitions.map((d) => [d.name, d.type, d.format, d.priority, d.description])).toEqual([
      ['Name', 'string', 'name', 0, expect.stringContaining('Name must be unique within a namespace.') as unknown],
      ['Replicas', 'integer', '', 0, 'Custom resource definition column (in JSONPath format): .spec.replicas'],
      ['Ready', 'string', '', 0, 'Custom resource definition column (in JSONPath format): .status.conditions[?(@.type=="Ready")].status'],
      ['Ratio', 'number', '', 0, 'Custom resource definition column (in JSONPath format): .spec.ratio'],
      ['Paused', 'boolean', '', 0, 'Custom resource definition column (in JSONPath format): .spec.paused'],
      ['Ports', 'string', '', 1, 'the ports'],
      ['Started', 'date', '', 0, 'Custom resource definition column (in JSONPath format): .status.startedAt'],
    ]);
    expect(table.rows.find((r) => r.cells[0] === 'sparse')?.cells).toEqual(['sparse', null, null, null, null, null, null]);
  });

  it('prints NAME AGE when the version declares no columns', async () => {
    await defineCrd(c, crd('gadgets', 'Gadget', ''), 'gadgets.print.example.com');
    await c.kubectlOk(['apply', '-f', '-'], { input: 'apiVersion: print.example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: default}\n' });
    const lines = (await c.kubectlOk(['get', 'gadgets'])).trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(lines[0]).toEqual(['NAME', 'AGE']);
    expect(lines[1][0]).toBe('g');
    expect(lines[1][1]).toMatch(/^\d+s$/);
    const table = await tableOf('/apis/print.example.com/v1/namespaces/default/gadgets');
    expect(table.columnDefinitions.map((d) => [d.name, d.type])).toEqual([['Name', 'string'], ['Age', 'date']]);
  });

  it('refuses columns Kubernetes refuses', async () => {
    const bad = crd('things', 'Thing', `    additionalPrinterColumns:
    - {name: A, type: text, jsonPath: .spec.a}
    - {name: B, type: string, format: color, jsonPath: spec.b}
    - {name: C, type: string, jsonPath: ''}
`);
    const r = await c.kubectl(['apply', '-f', '-'], { input: bad });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string');
    expect(r.stderr).toContain('spec.versions[0].additionalPrinterColumns[1].format: Invalid value: "color": '
      + 'must be one of byte,date,date-time,double,float,int32,int64,password');
    expect(r.stderr).toContain('spec.versions[0].additionalPrinterColumns[1].JSONPath: Invalid value: "spec.b": must be a simple json path starting with .');
    expect(r.stderr).toContain('spec.versions[0].additionalPrinterColumns[2].JSONPath: Required value');
  });
});

interface WireTable {
  columnDefinitions: Array<{ name: string; type: string; format: string; priority: number; description: string }>;
  rows: Array<{ cells: unknown[] }>;
}

async function tableOf(path: string): Promise<WireTable> {
  const res = await c.client.request('GET', path, undefined, 'application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io');
  expect(res.code).toBe(200);
  return JSON.parse(res.text) as WireTable;
}
