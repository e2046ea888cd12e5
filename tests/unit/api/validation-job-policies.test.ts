// Job spec.managedBy / successPolicy / maxFailedIndexes validation and CronJob `@every` schedules,
// with the messages of pkg/apis/batch/validation and robfig/cron (through Go's time.ParseDuration).
import { describe, expect, it } from 'vitest';
import { cronScheduleError, everyInterval } from '../../../main/api/cron-schedule';
import { applyDefaults } from '../../../main/api/defaults';
import { parseGoDuration } from '../../../main/api/go-duration';
import type { KObject } from '../../../main/api/types';
import { validateObject, validateUpdate } from '../../../main/api/validation';
import type { Cause } from '../../../main/api/validation/cause';
import { parseSchedule } from '../../../main/controllers/cronjob-schedule';

const pick = (causes: Cause[]): Array<[string, string]> => causes.map((x) => [x.field, x.message]);

function job(spec: Record<string, unknown>): KObject {
  const j: KObject = {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' },
    spec: {
      manualSelector: true, selector: { matchLabels: { app: 'j' } },
      template: { metadata: { labels: { app: 'j' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      ...spec,
    },
  };
  applyDefaults('Job', j);
  return j;
}
const indexed = (extra: Record<string, unknown>) => job({ completionMode: 'Indexed', completions: 5, parallelism: 5, ...extra });

describe('Job spec.managedBy', () => {
  it('accepts a domain-prefixed path of at most 63 bytes', () => {
    expect(validateObject('Job', job({ managedBy: 'kueue.x-k8s.io/multikueue' }))).toEqual([]);
    expect(validateObject('Job', job({ managedBy: 'kubernetes.io/job-controller' }))).toEqual([]);
  });

  it.each<[string, string, Array<[string, string]>]>([
    ['no slash', 'kueue', [['spec.managedBy', 'Invalid value: "kueue": must be a domain-prefixed path (such as "acme.io/foo")']]],
    ['empty path', 'acme.io/', [['spec.managedBy', 'Invalid value: "acme.io/": must be a domain-prefixed path (such as "acme.io/foo")']]],
    ['bad host', 'Acme.io/x', [['spec.managedBy', expect.stringContaining('Invalid value: "Acme.io": a lowercase RFC 1123 subdomain') as string]]],
    ['bad path', 'acme.io/a b', [['spec.managedBy', 'Invalid value: "a b": Invalid path (regex used for validation is \'[A-Za-z0-9/\\-._~%!$&\'()*+,;=:]+\')']]],
    ['too long', `acme.io/${'x'.repeat(60)}`, [['spec.managedBy', 'Too long: may not be more than 63 bytes']]],
  ])('refuses %s', (_, managedBy, want) => {
    expect(pick(validateObject('Job', job({ managedBy })))).toEqual(want);
  });

  it('is immutable', () => {
    const prev = job({ managedBy: 'acme.io/a' });
    expect(pick(validateUpdate('Job', job({ managedBy: 'acme.io/b' }), prev))).toContainEqual(['spec.managedBy', 'Invalid value: "acme.io/b": field is immutable']);
  });
});

describe('Job spec.successPolicy and maxFailedIndexes', () => {
  it('accepts rules of indexes and counts within completions', () => {
    expect(validateObject('Job', indexed({ successPolicy: { rules: [{ succeededIndexes: '0,2-4', succeededCount: 2 }, { succeededCount: 5 }] } }))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, Array<[string, string]>]>([
    ['a NonIndexed Job', job({ completions: 5, successPolicy: { rules: [{ succeededCount: 1 }] } }),
      [['spec.successPolicy', 'Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{…}}: requires indexed completion mode']]],
    ['no rules', indexed({ successPolicy: { rules: [] } }),
      [['spec.successPolicy.rules', 'Required value: at least one rules must be specified when the successPolicy is specified']]],
    ['an empty rule', indexed({ successPolicy: { rules: [{}] } }),
      [['spec.successPolicy.rules[0]', 'Required value: at least one of succeededCount or succeededIndexes must be specified']]],
    ['an index past completions', indexed({ successPolicy: { rules: [{ succeededIndexes: '1-5' }] } }),
      [['spec.successPolicy.rules[0].succeededIndexes', 'Invalid value: "1-5": error parsing succeededIndexes: too large index: "5"']]],
    ['indexes out of order', indexed({ successPolicy: { rules: [{ succeededIndexes: '3,1' }] } }),
      [['spec.successPolicy.rules[0].succeededIndexes', 'Invalid value: "3,1": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1']]],
    ['a count above completions and above its indexes', indexed({ successPolicy: { rules: [{ succeededIndexes: '0-1', succeededCount: 6 }] } }), [
      ['spec.successPolicy.rules[0].succeededCount', 'Invalid value: 6: must be less than or equal to 5 (the number of specified completions)'],
      ['spec.successPolicy.rules[0].succeededCount', 'Invalid value: 6: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)'],
    ]],
    ['maxFailedIndexes above completions', indexed({ backoffLimitPerIndex: 1, maxFailedIndexes: 6 }),
      [['spec.maxFailedIndexes', 'Invalid value: 6: must be less than or equal to completions']]],
  ])('refuses %s', (_, j, want) => {
    expect(pick(validateObject('Job', j as KObject))).toEqual(want);
  });
});

describe('CronJob @every', () => {
  it('reads Go durations as time.ParseDuration does', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('-2m')).toBe(-120_000);
    expect(parseGoDuration('0')).toBe(0);
    expect(() => parseGoDuration('5')).toThrow('time: missing unit in duration "5"');
    expect(() => parseGoDuration('5x')).toThrow('time: unknown unit "x" in duration "5x"');
    expect(() => parseGoDuration('')).toThrow('time: invalid duration ""');
    expect(() => parseGoDuration('m')).toThrow('time: invalid duration "m"');
  });

  it('is a valid schedule (robfig accepts it and Kubernetes validates with ParseStandard), with robfig\'s errors', () => {
    expect(cronScheduleError('@every 5m')).toBeUndefined();
    expect(cronScheduleError('@every 1h30m')).toBeUndefined();
    expect(cronScheduleError('@every 5')).toBe('failed to parse duration @every 5: time: missing unit in duration "5"');
    expect(cronScheduleError('@every')).toBe('unrecognized descriptor: @every');
    expect(cronScheduleError('@often')).toBe('unrecognized descriptor: @often');
    const cj: KObject = {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'default' },
      spec: { schedule: '@every 5x', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    };
    applyDefaults('CronJob', cj);
    expect(pick(validateObject('CronJob', cj))).toEqual([
      ['spec.schedule', 'Invalid value: "@every 5x": failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"'],
    ]);
  });

  it('runs at a constant interval from the second before, at least one second apart', () => {
    expect(everyInterval('@every 1m30.5s')).toBe(90_000);
    expect(everyInterval('@every 10ms')).toBe(1000);
    expect(everyInterval('0 * * * *')).toBeUndefined();
    const s = parseSchedule('@every 90s');
    expect(s.next(Date.UTC(2026, 0, 1, 0, 0, 10, 400))).toBe(Date.UTC(2026, 0, 1, 0, 1, 40));
  });
});
