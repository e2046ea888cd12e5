// API Priority and Fairness' parts alone: the default configuration's classification (who lands where), shuffle
// sharding, and a level's seats and queues (run, queue, round robin, queue-full, concurrency-limit, time-out, cancel).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FLOW_SCHEMAS, PRIORITY_LEVELS, nominalLimits } from '../../../main/apiserver/flowcontrol/config';
import { classify, sortSchemas } from '../../../main/apiserver/flowcontrol/classify';
import { QueueSet, deal } from '../../../main/apiserver/flowcontrol/queue-set';
import type { RejectReason } from '../../../main/apiserver/flowcontrol/queue-set';
import { parseRequestInfo } from '../../../main/apiserver/request';
import { nodeIdentity, ADMIN_IDENTITY } from '../../../main/apiserver/auth';
import type { Identity } from '../../../main/apiserver/auth';

const schemas = sortSchemas(FLOW_SCHEMAS);
const user = (name: string, ...groups: string[]) => ({ name, groups: [...groups, 'system:authenticated'] });
const schemaOf = (who: Identity, method: string, url: string) => {
  const c = classify(schemas, who, parseRequestInfo(method, url), method);
  return `${c.schema!.name}/${c.schema!.priorityLevel}/${c.distinguisher}`;
};

describe('classification with the default flow schemas', () => {
  it('puts masters in exempt, node heartbeats in node-high, other node calls in system, users in global-default', () => {
    expect(schemaOf(ADMIN_IDENTITY, 'POST', '/api/v1/namespaces/default/configmaps')).toBe('exempt/exempt/');
    const node = nodeIdentity('x');
    expect(schemaOf(node, 'PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/x')).toBe('system-node-high/node-high/system:node:x');
    expect(schemaOf(node, 'PATCH', '/api/v1/nodes/x/status')).toBe('system-node-high/node-high/system:node:x');
    expect(schemaOf(node, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dx')).toBe('system-nodes/system/system:node:x');
    expect(schemaOf(user('alice'), 'POST', '/api/v1/namespaces/a/configmaps')).toBe('global-default/global-default/alice');
    expect(schemaOf(user('alice'), 'GET', '/apis')).toBe('global-default/global-default/alice');
    const sa = user('system:serviceaccount:team:robot', 'system:serviceaccounts', 'system:serviceaccounts:team');
    expect(schemaOf(sa, 'GET', '/api/v1/namespaces/team/pods')).toBe('service-accounts/workload-low/system:serviceaccount:team:robot');
    const ksa = user('system:serviceaccount:kube-system:robot', 'system:serviceaccounts');
    expect(schemaOf(ksa, 'GET', '/api/v1/namespaces/team/pods')).toBe('kube-system-service-accounts/workload-high/team');
    expect(schemaOf(ksa, 'PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/lock')).toBe('system-leader-election/leader-election/system:serviceaccount:kube-system:robot');
    expect(schemaOf({ name: 'system:anonymous', groups: ['system:unauthenticated'] }, 'GET', '/api')).toBe('global-default/global-default/system:anonymous');
  });

  it('shares 600 seats by the levels\' nominal shares, as kube-apiserver', () => {
    const limits = Object.fromEntries(nominalLimits(PRIORITY_LEVELS, 600));
    expect(limits).toEqual({ system: 74, 'node-high': 98, 'leader-election': 25, 'workload-high': 98, 'workload-low': 245, 'global-default': 49, 'catch-all': 13 });
  });
});

describe('shuffle sharding', () => {
  it('deals distinct queues, the same hand for the same hash', () => {
    for (const h of [0n, 1n, 12345678901234567n, 2n ** 64n - 1n]) {
      const hand = deal(h, 128, 6);
      expect(new Set(hand).size).toBe(6);
      expect(hand.every((i) => i >= 0 && i < 128)).toBe(true);
      expect(deal(h, 128, 6)).toEqual(hand);
    }
    expect(deal(1n, 128, 6)).not.toEqual(deal(2n ** 40n + 7n, 128, 6));
  });
});

describe('a priority level\'s queue set', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const record = () => {
    const log: string[] = [];
    const req = (id: string) => ({ start: () => log.push(`start ${id}`), reject: (r: RejectReason) => log.push(`reject ${id} ${r}`) });
    return { log, req };
  };

  it('runs while seats are free, then queues a flow in its hand up to handSize × queueLengthLimit, then rejects queue-full', () => {
    const qs = new QueueSet(2, { queues: 8, handSize: 2, queueLengthLimit: 3 }, 15_000);
    const { log, req } = record();
    for (let i = 0; i < 9; i++) qs.submit(42n, req(`a${i}`));
    expect(log).toEqual(['start a0', 'start a1', 'reject a8 queue-full']);
    expect(qs.executing).toBe(2);
    expect(qs.waiting).toBe(6);
    const used = qs.queueLengths().filter((n) => n > 0);
    expect(used).toEqual([3, 3]);
  });

  it('gives freed seats to the non-empty queues in turn: another flow overtakes a flood', () => {
    const qs = new QueueSet(1, { queues: 64, handSize: 1, queueLengthLimit: 50 }, 15_000);
    const { log, req } = record();
    qs.submit(1n, req('flood0'));
    for (let i = 1; i <= 10; i++) qs.submit(1n, req(`flood${i}`));
    qs.submit(2n, req('other'));
    log.length = 0;
    qs.release();
    qs.release();
    expect(log.sort()).toEqual(['start flood1', 'start other']);
    expect(qs.waiting).toBe(9);
  });

  it('rejects with concurrency-limit when a level has no queues (catch-all)', () => {
    const qs = new QueueSet(1, undefined, 15_000);
    const { log, req } = record();
    qs.submit(1n, req('a'));
    qs.submit(2n, req('b'));
    expect(log).toEqual(['start a', 'reject b concurrency-limit']);
  });

  it('rejects a request that waited the wait limit (time-out) and one whose client left (cancelled)', () => {
    const qs = new QueueSet(1, { queues: 4, handSize: 2, queueLengthLimit: 5 }, 15_000);
    const { log, req } = record();
    qs.submit(1n, req('a'));
    qs.submit(1n, req('b'));
    const withdrawC = qs.submit(3n, req('c'));
    withdrawC();
    expect(log).toEqual(['start a', 'reject c cancelled']);
    vi.advanceTimersByTime(15_000);
    expect(log).toEqual(['start a', 'reject c cancelled', 'reject b time-out']);
    expect(qs.waiting).toBe(0);
    qs.release();
    qs.submit(1n, req('d'));
    expect(log.at(-1)).toBe('start d');
  });
});
