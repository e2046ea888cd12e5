// A CRD's x-kubernetes-validations are compiled when the definition is created or updated, with real kubectl:
// a syntax error, an undeclared field or function, a rule that cannot be a bool and a messageExpression that
// cannot be a string are refused with apiextensions' 422 (path, ValidationRule value, message); valid rules pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { crdManifest, ruledSpecSchema, storedVersion } from '../../helpers/crd';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const crd = (plural: string, rules: string) => crdManifest(
  { group: 'cc.example.com', plural, kind: `${plural[0].toUpperCase()}${plural.slice(1, -1)}` },
  storedVersion(ruledSpecSchema(rules, '              replicas: {type: integer}\n              name: {type: string}\n              labels: {type: object, additionalProperties: {type: string}}')),
);

const RULE = (r: string, m = '') => `apiextensions.ValidationRule{Rule:"${r}", Message:"", MessageExpression:"${m}", `
  + 'Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}';
const PATH = 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations';

describe('CRD CEL rules compiled at create and update', () => {
  it('refuses rules that do not compile or are not bools, and messageExpressions that are not strings', async () => {
    const r = await c.kubectl(['apply', '-f', '-'], {
      input: crd('gadgets', [
        '            - rule: "self.replicas >"',
        '            - rule: "self.nope == 1"',
        '            - rule: "nosuch(self.name)"',
        '            - rule: "self.replicas + 1"',
        '            - rule: "self.replicas > 0"',
        '              messageExpression: "self.replicas > 1"',
      ].join('\n')),
    });
    expect(r.code).not.toBe(0);
    const err = r.stderr;
    expect(err).toContain('CustomResourceDefinition "gadgets.cc.example.com" is invalid: ');
    expect(err).toContain(`${PATH}[0].rule: Invalid value: ${RULE('self.replicas >')}: compilation failed: ERROR: <input>:1:15: Syntax error: `);
    expect(err).toContain(`${PATH}[1].rule: Invalid value: ${RULE('self.nope == 1')}: compilation failed: ERROR: <input>:1:5: undefined field 'nope'\n | self.nope == 1\n | ....^`);
    expect(err).toContain(`${PATH}[2].rule: Invalid value: ${RULE('nosuch(self.name)')}: compilation failed: ERROR: <input>:1:7: undeclared reference to 'nosuch' (in container '')`);
    expect(err).toContain(`${PATH}[3].rule: Invalid value: ${RULE('self.replicas + 1')}: cel expression must evaluate to a bool`);
    expect(err).toContain(`${PATH}[4].messageExpression: Invalid value: ${RULE('self.replicas > 0', 'self.replicas > 1')}: messageExpression must evaluate to a string`);
    expect((await c.kubectl(['get', 'crd', 'gadgets.cc.example.com'])).code).not.toBe(0);
  });

  it('accepts rules that compile, and refuses an update that breaks one', async () => {
    const good = [
      '            - rule: "self.replicas >= 0 && self.name.startsWith(\'a\') && self.labels.all(k, k.size() < 10)"',
      '              messageExpression: "\'bad: \' + self.name"',
      '            - rule: "!has(self.labels) || self.labels.anyKey == \'x\' || true"',
    ].join('\n');
    await c.kubectlOk(['apply', '-f', '-'], { input: crd('widgets', good) });
    const bad = await c.kubectl(['apply', '-f', '-'], { input: crd('widgets', '            - rule: "self.replicaz > 1"') });
    expect(bad.stderr).toContain(`${PATH}[0].rule: Invalid value: ${RULE('self.replicaz > 1')}: compilation failed: ERROR: <input>:1:5: undefined field 'replicaz'`);
    // Namespaced functions of the libraries (strings.quote, ip.isCanonical, format.named, sets.contains) compile.
    await c.kubectlOk(['apply', '-f', '-'], {
      input: crd('widgets', '            - rule: "strings.quote(self.name) != \'\' && (!has(self.name) || !ip.isCanonical(self.name) || sets.contains([self.name], [self.name]))"'),
    });
    // Optional selection reads the schema as selection does.
    await c.kubectlOk(['apply', '-f', '-'], { input: crd('widgets', '            - rule: "self.?replicas.orValue(1) >= 0 && self.?labels[?\'a\'].orValue(\'\') != \'b\'"') });
    const optionalBad = await c.kubectl(['apply', '-f', '-'], { input: crd('widgets', '            - rule: "self.?replicaz.orValue(1) > 1"') });
    // (cel-go places it at the `.?`, column 5; the rewritten expression's column differs.)
    expect(optionalBad.stderr).toMatch(/compilation failed: ERROR: <input>:1:\d+: undefined field 'replicaz'/);
    // cel-go's optMap and optFlatMap macros: expanded, checked against the schema, run on the objects.
    await c.kubectlOk(['apply', '-f', '-'], {
      input: crd('widgets', '            - rule: "self.?name.optMap(n, n.size()).orValue(0) < 5 && self.?replicas.optFlatMap(r, r > 9 ? optional.of(r) : optional.none()).orValue(0) == 0"'),
    });
    await c.kubectlOk(['apply', '-f', '-'], { input: 'apiVersion: cc.example.com/v1\nkind: Widget\nmetadata: {name: ok}\nspec: {name: abc, replicas: 3}\n' });
    const refused = await c.kubectl(['apply', '-f', '-'], { input: 'apiVersion: cc.example.com/v1\nkind: Widget\nmetadata: {name: big}\nspec: {name: abc, replicas: 10}\n' });
    expect(refused.stderr).toContain('The Widget "big" is invalid: spec: Invalid value: "object": failed rule: self.?name.optMap(n, n.size())');
    const macroBad = await c.kubectl(['apply', '-f', '-'], { input: crd('widgets', '            - rule: "self.?name.optMap(n.x, n.size()).hasValue()"') });
    expect(macroBad.stderr).toContain(`${PATH}[0].rule: Invalid value: ${RULE('self.?name.optMap(n.x, n.size()).hasValue()')}: compilation failed: ERROR: <input>:1:20: optMap() variable name must be a simple identifier\n | self.?name.optMap(n.x, n.size()).hasValue()\n | ...................^`);
    const fieldBad = await c.kubectl(['apply', '-f', '-'], { input: crd('widgets', '            - rule: "self.?name.optMap(n, self.nope).hasValue()"') });
    expect(fieldBad.stderr).toMatch(/compilation failed: ERROR: <input>:1:\d+: undefined field 'nope'/);
  });
});
