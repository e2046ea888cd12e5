import { describe, expect, it } from 'vitest';
import {
  SelectorError, formatLabelSelector, nothing, parseLabelSelector, selectorFromLabelSelector, selectorFromSet, validateLabels,
} from '../../../main/api/labels';

const L = { app: 'web', tier: 'frontend', env: 'prod' };

describe('parseLabelSelector matching', () => {
  const cases: Array<[string, Record<string, string> | undefined, boolean]> = [
    ['', L, true],
    ['app=web', L, true],
    ['app==web', L, true],
    ['app=api', L, false],
    ['app!=api', L, true],
    ['app!=web', L, false],
    ['missing!=x', L, true],
    ['missing=x', L, false],
    ['app', L, true],
    ['missing', L, false],
    ['!missing', L, true],
    ['!app', L, false],
    ['tier in (frontend,backend)', L, true],
    ['tier in (backend)', L, false],
    ['missing in (a)', L, false],
    ['tier notin (backend)', L, true],
    ['tier notin (frontend)', L, false],
    ['missing notin (a)', L, true],
    ['app=web,tier=frontend', L, true],
    ['app=web,tier=backend', L, false],
    ['  app = web , env in ( prod ) ', L, true],
    ['app=', { app: '' }, true],
    ['app=', L, false],
    ['x in (a,,b)', { x: '' }, true],
    ['x in ()', { x: '' }, true],
    ['in in (in)', { in: 'in' }, true],
    ['app=web', undefined, false],
    ['!app', undefined, true],
    ['n>5', { n: '7' }, true],
    ['n>5', { n: '3' }, false],
    ['n<5', { n: '3' }, true],
    ['n<5', { n: 'x' }, false],
    ['example.com/role=db', { 'example.com/role': 'db' }, true],
  ];
  it.each(cases)('%j on %j → %s', (sel, labels, want) => {
    expect(parseLabelSelector(sel).matches(labels)).toBe(want);
  });
});

describe('parseLabelSelector string form and emptiness', () => {
  it.each([
    ['', ''],
    ['b=2,a=1', 'a=1,b=2'],
    ['x in (c,a,b)', 'x in (a,b,c)'],
    ['x notin (a,,b),y,!z', 'x notin (,a,b),y,!z'],
    ['a==1', 'a==1'],
    ['a!=1', 'a!=1'],
    ['n>5', 'n>5'],
  ])('%j → %j', (sel, want) => {
    expect(parseLabelSelector(sel).toString()).toBe(want);
  });
  it('is empty only for no requirements', () => {
    expect(parseLabelSelector('').empty).toBe(true);
    expect(parseLabelSelector('  ').empty).toBe(true);
    expect(parseLabelSelector('a').empty).toBe(false);
  });
});

const QNAME_NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('parseLabelSelector errors (apimachinery wording)', () => {
  it.each([
    ['app=a b', "found 'b', expected: ',' or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x (a)', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['a_=b', `unable to parse requirement: <nil>: Invalid value: "a_": ${QNAME_NAME_PART}`],
    ['app=-x', `unable to parse requirement: values[0][app]: Invalid value: "-x": ${LABEL_VALUE}`],
    ['n>x', 'unable to parse requirement: values[0]: Invalid value: "x": for \'Gt\', \'Lt\' operators, the value must be an integer'],
  ])('%j', (sel, msg) => {
    let err: unknown;
    try { parseLabelSelector(sel); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(SelectorError);
    expect((err as Error).message).toBe(msg);
  });
});

describe('selectorFromLabelSelector / formatLabelSelector', () => {
  it('undefined and empty select everything', () => {
    expect(selectorFromLabelSelector(undefined).matches({ a: 'b' })).toBe(true);
    expect(selectorFromLabelSelector({}).matches(undefined)).toBe(true);
    expect(selectorFromLabelSelector({}).empty).toBe(true);
  });
  it('nothing() selects nothing and is not empty', () => {
    expect(nothing().matches({})).toBe(false);
    expect(nothing().empty).toBe(false);
  });
  it('combines matchLabels and matchExpressions', () => {
    const s = selectorFromLabelSelector({
      matchLabels: { app: 'nginx' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'track', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    expect(s.toString()).toBe('app=nginx,!canary,env notin (dev),tier in (a,b),track');
    expect(s.matches({ app: 'nginx', tier: 'a', env: 'prod', track: 'x' })).toBe(true);
    expect(s.matches({ app: 'nginx', tier: 'a', track: 'x', canary: '1' })).toBe(false);
    expect(s.matches({ app: 'nginx', tier: 'c', track: 'x' })).toBe(false);
  });
  it('formats like kubectl -o wide', () => {
    expect(formatLabelSelector({ matchLabels: { app: 'nginx' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }))
      .toBe('app=nginx,tier in (a,b)');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Foo' }] })).toBe('<error>');
  });
  it('rejects bad operators and empty In sets', () => {
    expect(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }))
      .toThrow('"Foo" is not a valid label selector operator');
    expect(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }))
      .toThrow("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
  });
  it('selectorFromSet', () => {
    expect(selectorFromSet({ b: '2', a: '1' }).toString()).toBe('a=1,b=2');
    expect(selectorFromSet(undefined).empty).toBe(true);
  });
});

describe('validateLabels', () => {
  it('accepts valid keys and values', () => {
    expect(validateLabels({ app: 'web', 'example.com/x': '', 'a.b_c-d': 'V_1.2-3' }, 'metadata.labels')).toEqual([]);
  });
  it.each([
    ['-bad', 'v', [`Invalid value: "-bad": ${QNAME_NAME_PART}`]],
    ['a/b/c', 'v', ["Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]],
    ['/x', 'v', ['Invalid value: "/x": prefix part must be non-empty']],
    ['Example.com/x', 'v', ["Invalid value: \"Example.com/x\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]],
    ['x/', 'v', ['Invalid value: "x/": name part must be non-empty', `Invalid value: "x/": ${QNAME_NAME_PART}`]],
    ['k', 'a b', [`Invalid value: "a b": ${LABEL_VALUE}`]],
    ['k', 'x'.repeat(64), [`Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`]],
    ['k'.repeat(64), 'v', [`Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`]],
  ])('key %j value %j', (k, v, msgs) => {
    const causes = validateLabels({ [k]: v }, 'metadata.labels');
    expect(causes.map((c) => c.message)).toEqual(msgs);
    expect(causes.every((c) => c.field === 'metadata.labels' && c.reason === 'FieldValueInvalid')).toBe(true);
  });
});
