// Whether rules cover rules (component-helpers' Covers), and how missing rules are compacted and
// printed in escalation errors (CompactRules, CompactString) — cases from Kubernetes' own tests.
import { describe, expect, it } from 'vitest';
import type { PolicyRule } from '../../../main/api/types';
import { breakdownRule, compactRules, compactString, covers } from '../../../main/apiserver/authz/covers';

const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): PolicyRule =>
  (resourceNames ? { apiGroups, resources, verbs, resourceNames } : { apiGroups, resources, verbs });

describe('RBAC rule coverage', () => {
  it('breaks a rule down to one group, resource, verb and name each', () => {
    expect(breakdownRule(rule(['', 'apps'], ['pods'], ['get', 'list'], ['a']))).toEqual([
      rule([''], ['pods'], ['get'], ['a']), rule([''], ['pods'], ['list'], ['a']),
      rule(['apps'], ['pods'], ['get'], ['a']), rule(['apps'], ['pods'], ['list'], ['a']),
    ]);
    expect(breakdownRule({ nonResourceURLs: ['/a', '/b'], verbs: ['get'] })).toEqual([{ nonResourceURLs: ['/a'], verbs: ['get'] }, { nonResourceURLs: ['/b'], verbs: ['get'] }]);
  });

  it('exact, star and split rules cover; anything more is missing', () => {
    expect(covers([rule([''], ['pods'], ['get', 'list'])], [rule([''], ['pods'], ['get'])]).covered).toBe(true);
    expect(covers([rule(['*'], ['*'], ['*'])], [rule(['apps'], ['deployments'], ['delete'], ['web'])]).covered).toBe(true);
    // Covered by two owner rules together, one verb each.
    expect(covers([rule([''], ['pods'], ['get']), rule([''], ['pods'], ['list'])], [rule([''], ['pods'], ['get', 'list'])]).covered).toBe(true);
    const { covered, missing } = covers([rule([''], ['pods'], ['get'])], [rule([''], ['pods', 'secrets'], ['get', 'delete'])]);
    expect(covered).toBe(false);
    expect(missing).toEqual([rule([''], ['pods'], ['delete']), rule([''], ['secrets'], ['get']), rule([''], ['secrets'], ['delete'])]);
  });

  it('subresources: */scale covers deployments/scale; pods does not cover pods/log', () => {
    expect(covers([rule(['apps'], ['*/scale'], ['get'])], [rule(['apps'], ['deployments/scale'], ['get'])]).covered).toBe(true);
    expect(covers([rule([''], ['pods'], ['get'])], [rule([''], ['pods/log'], ['get'])]).covered).toBe(false);
  });

  it('resource names: an owner without names covers any; with names only those; a named owner never covers all names', () => {
    expect(covers([rule([''], ['pods'], ['get'])], [rule([''], ['pods'], ['get'], ['a'])]).covered).toBe(true);
    expect(covers([rule([''], ['pods'], ['get'], ['a', 'b'])], [rule([''], ['pods'], ['get'], ['b'])]).covered).toBe(true);
    expect(covers([rule([''], ['pods'], ['get'], ['a'])], [rule([''], ['pods'], ['get'], ['c'])]).covered).toBe(false);
    expect(covers([rule([''], ['pods'], ['get'], ['a'])], [rule([''], ['pods'], ['get'])]).covered).toBe(false);
  });

  it('non-resource URLs: exact or a * suffix; resource rules never cover them', () => {
    expect(covers([{ nonResourceURLs: ['/api/*'], verbs: ['get'] }], [{ nonResourceURLs: ['/api/v1'], verbs: ['get'] }]).covered).toBe(true);
    expect(covers([{ nonResourceURLs: ['/apis'], verbs: ['get'] }], [{ nonResourceURLs: ['/apis/x'], verbs: ['get'] }]).covered).toBe(false);
    expect(covers([rule(['*'], ['*'], ['*'])], [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]).covered).toBe(false);
  });

  it('compacts one-group one-resource rules by joining verbs, and prints rules as Go does', () => {
    const compact = compactRules([rule([''], ['pods'], ['get']), rule([''], ['pods'], ['delete']), rule([''], ['pods'], ['get'], ['x']), rule(['apps'], ['pods'], ['get'])]);
    expect(compact).toEqual([rule([''], ['pods'], ['get'], ['x']), rule([''], ['pods'], ['get', 'delete']), rule(['apps'], ['pods'], ['get'])]);
    expect(compactString(rule([''], ['pods'], ['get', 'delete']))).toBe('{APIGroups:[""], Resources:["pods"], Verbs:["get" "delete"]}');
    expect(compactString(rule(['apps'], ['deployments'], ['get'], ['web']))).toBe('{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["web"], Verbs:["get"]}');
    expect(compactString({ nonResourceURLs: ['/healthz'], verbs: ['get'] })).toBe('{NonResourceURLs:["/healthz"], Verbs:["get"]}');
  });
});
