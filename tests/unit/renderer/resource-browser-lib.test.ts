// The resource browser's pure helpers: sections of the discovered kinds, plural labels, table
// columns and sorting as kubectl's columns say, the virtualized slice, and what an object offers.
import { describe, expect, it } from 'vitest';
import type { ApiResourceType } from '../../../main/bridge/contract';
import type { Table, TableRow } from '../../../main/api/table';
import { groupTypes, pluralLabel, sectionOf, wrappable } from '../../../renderer/src/lib/resource-groups';
import { cellOf, NAMESPACE_COLUMN, shownColumns, sortRows, visibleRange } from '../../../renderer/src/lib/table-rows';
import { actionsOf, conditionsOf, partConditionsOf, podSelectorOf, replicasOf } from '../../../renderer/src/lib/object-facts';

const type = (group: string, resource: string, kind: string, subresources: string[] = []): ApiResourceType =>
  ({ group, version: 'v1', resource, kind, namespaced: true, verbs: ['list'], subresources });

describe('resource sections', () => {
  it('puts built-in kinds in their section, known ones first in a fixed order, and other groups under Custom resources', () => {
    const types = [
      type('', 'configmaps', 'ConfigMap'), type('apps', 'deployments', 'Deployment'), type('', 'pods', 'Pod'),
      type('browse.example.com', 'gadgets', 'Gadget'), type('rbac.authorization.k8s.io', 'roles', 'Role'),
      type('events.k8s.io', 'events', 'Event'), type('', 'events', 'Event'), type('networking.k8s.io', 'ingresses', 'Ingress'),
      type('storage.k8s.io', 'newthings', 'NewThing'), type('apps', 'statefulsets', 'StatefulSet'),
      type('gateway.networking.k8s.io', 'httproutes', 'HTTPRoute'), type('gateway.networking.k8s.io', 'gateways', 'Gateway'),
    ];
    expect(groupTypes(types).map((s) => [s.section, s.types.map((t) => t.resource)])).toEqual([
      ['Workloads', ['pods', 'deployments', 'statefulsets']],
      ['Network', ['ingresses', 'gateways', 'httproutes']],
      ['Config & Storage', ['configmaps', 'newthings']],
      ['Access control', ['roles']],
      ['Cluster', ['events']],
      ['Custom resources', ['gadgets']],
    ]);
    expect(sectionOf({ group: 'flotilla.dev', resource: 'machines' })).toBe('Cluster');
  });

  it('makes plurals a person reads', () => {
    expect(pluralLabel({ kind: 'NetworkPolicy', resource: 'networkpolicies' })).toBe('NetworkPolicies');
    expect(pluralLabel({ kind: 'Ingress', resource: 'ingresses' })).toBe('Ingresses');
    expect(pluralLabel({ kind: 'Endpoints', resource: 'endpoints' })).toBe('Endpoints');
    expect(pluralLabel({ kind: 'Gateway', resource: 'gateways' })).toBe('Gateways');
    expect(pluralLabel({ kind: 'NodeMetrics', resource: 'nodes' })).toBe('NodeMetrics');
    expect(wrappable('ValidatingAdmissionPolicyBindings')).toBe('Validating\u200bAdmission\u200bPolicy\u200bBindings');
  });
});

const row = (name: string, ns: string, cells: TableRow['cells'], created: string): TableRow =>
  ({ cells, object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name, namespace: ns, creationTimestamp: created } } });
const table: Table = {
  kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {},
  columnDefinitions: [
    { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
    { name: 'Restarts', type: 'integer', format: '', description: '', priority: 0 },
    { name: 'Age', type: 'string', format: '', description: '', priority: 0 },
    { name: 'IP', type: 'string', format: '', description: '', priority: 1 },
  ],
  rows: [
    row('web-10', 'b', ['web-10', 2, '5m', '10.0.0.1'], '2026-01-01T00:05:00Z'),
    row('web-9', 'a', ['web-9', 10, '10m', null], '2026-01-01T00:00:00Z'),
    row('api', 'a', ['api', 0, '1m', '10.0.0.3'], '2026-01-01T00:09:00Z'),
  ],
};
const names = (rows: TableRow[]) => rows.map((r) => r.cells[0]);

describe('table columns and sorting', () => {
  it('shows priority-0 columns (all when wide), led by NAMESPACE across namespaces', () => {
    expect(shownColumns(table, false).map((c) => c.def.name)).toEqual(['Name', 'Restarts', 'Age']);
    expect(shownColumns(table, true).map((c) => c.def.name)).toEqual(['Name', 'Restarts', 'Age', 'IP']);
    expect(shownColumns(table, false, true).map((c) => c.def.name)).toEqual(['Namespace', 'Name', 'Restarts', 'Age']);
    expect(cellOf(table.rows[0], NAMESPACE_COLUMN)).toBe('b');
  });

  it('sorts names naturally, numbers as numbers, ages by creation, and namespaces; the server order without a sort', () => {
    expect(names(sortRows(table, undefined))).toEqual(['web-10', 'web-9', 'api']);
    expect(names(sortRows(table, { index: 0, descending: false }))).toEqual(['api', 'web-9', 'web-10']);
    expect(names(sortRows(table, { index: 1, descending: true }))).toEqual(['web-9', 'web-10', 'api']);
    expect(names(sortRows(table, { index: 2, descending: false }))).toEqual(['api', 'web-10', 'web-9']);
    expect(names(sortRows(table, { index: NAMESPACE_COLUMN, descending: false }))).toEqual(['web-9', 'api', 'web-10']);
  });

  it('renders only the rows in view, with slack, for any scroll position', () => {
    expect(visibleRange(0, 340, 34, 10_000)).toEqual({ start: 0, end: 18 });
    expect(visibleRange(34 * 5000, 340, 34, 10_000)).toEqual({ start: 4992, end: 5018 });
    expect(visibleRange(34 * 9999, 340, 34, 10_000)).toEqual({ start: 9991, end: 10_000 });
    expect(visibleRange(0, 340, 34, 0)).toEqual({ start: 0, end: 0 });
  });
});

describe('object facts', () => {
  it('reads conditions in Kubernetes\' shape and ignores anything else', () => {
    expect(conditionsOf({ status: { conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, { bad: 1 }] } }))
      .toEqual([{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: undefined, lastTransitionTime: undefined }]);
    expect(conditionsOf({ status: { conditions: 'no' } })).toEqual([]);
    const accepted = { type: 'Accepted', status: 'True', reason: 'Accepted' };
    expect(partConditionsOf({ status: {
      parents: [{ parentRef: { kind: 'Gateway', namespace: 'web', name: 'gw', sectionName: 'http' }, controllerName: 'flotilla.dev/gateway', conditions: [accepted] }],
      listeners: [{ name: 'http', attachedRoutes: 2, conditions: [accepted] }, { name: 'none', attachedRoutes: 0, conditions: [] }],
    } })).toEqual([
      { title: 'Gateway web/gw (listener http) · flotilla.dev/gateway', conditions: [accepted] },
      { title: 'Listener http · 2 routes', conditions: [accepted] },
    ]);
  });

  it('finds a workload\'s pod selector (a ReplicationController\'s plain map too), none for other kinds', () => {
    const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] };
    expect(podSelectorOf(type('apps', 'deployments', 'Deployment'), { spec: { selector: sel } })).toBe('app=web,tier in (a,b)');
    expect(podSelectorOf(type('', 'replicationcontrollers', 'ReplicationController'), { spec: { selector: { app: 'rc' } } })).toBe('app=rc');
    expect(podSelectorOf(type('', 'services', 'Service'), { spec: { selector: { app: 'web' } } })).toBeUndefined();
  });

  it('offers rollouts for Deployments, StatefulSets, DaemonSets; scale where the scale subresource is; run now for CronJobs', () => {
    expect(actionsOf(type('apps', 'deployments', 'Deployment', ['scale', 'status']))).toEqual({ history: true, restart: true, scale: true, trigger: false });
    expect(actionsOf(type('apps', 'daemonsets', 'DaemonSet', ['status']))).toEqual({ history: true, restart: true, scale: false, trigger: false });
    expect(actionsOf(type('batch', 'cronjobs', 'CronJob', ['status']))).toEqual({ history: false, restart: false, scale: false, trigger: true });
    expect(replicasOf({ spec: { replicas: 3 } })).toBe(3);
    expect(replicasOf({ spec: {} })).toBeUndefined();
  });
});
