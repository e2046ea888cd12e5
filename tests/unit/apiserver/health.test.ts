// The health endpoints' answers when a check fails: 500, the failing check's line without its reason (the endpoints are
// public), the reason kept for the log; one check alone says its reason.
import { describe, expect, it } from 'vitest';
import { answerHealth, answerHealthCheck, healthChecks, type HealthCheck } from '../../../main/apiserver/health';
import { openStore } from '../../../main/store/sqlite-store';

const broken: HealthCheck = { name: 'etcd', check: () => { throw new Error('database is closed'); } };
const fine: HealthCheck = { name: 'ping', check: () => undefined };

describe('health answers', () => {
  it('a failing check: 500, "reason withheld", "<endpoint> check failed", with or without verbose', () => {
    for (const q of ['', 'verbose']) {
      const a = answerHealth('readyz', [fine, broken], new URLSearchParams(q));
      expect(a.status).toBe(500);
      expect(a.body).toBe('[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n');
      expect(a.failures).toEqual(['etcd: database is closed']);
    }
  });

  it('excluding the failing check makes it pass', () => {
    const a = answerHealth('livez', [fine, broken], new URLSearchParams('exclude=etcd'));
    expect([a.status, a.body]).toEqual([200, 'ok']);
  });

  it('one check: its reason, or ok; undefined for a name that is not a check', () => {
    expect(answerHealthCheck([broken], 'etcd')).toEqual({ status: 500, body: 'internal server error: database is closed\n', failures: ['etcd: database is closed'] });
    expect(answerHealthCheck([fine], 'ping')?.body).toBe('ok');
    expect(answerHealthCheck([fine], 'etcd')).toBeUndefined();
  });

  it('the real checks: etcd fails once the store is closed, shutdown once the server stops', () => {
    const store = openStore({ path: ':memory:', autoCompactMs: 0 });
    let stopping = false;
    const checks = healthChecks(store, () => stopping);
    expect(answerHealth('readyz', checks.readyz, new URLSearchParams()).status).toBe(200);
    stopping = true;
    const shut = answerHealth('readyz', checks.readyz, new URLSearchParams());
    expect(shut.body).toContain('[-]shutdown failed: reason withheld\n');
    expect(answerHealth('livez', checks.livez, new URLSearchParams()).status).toBe(200);
    store.close();
    const closed = answerHealth('livez', checks.livez, new URLSearchParams());
    expect(closed.status).toBe(500);
    expect(closed.body).toContain('[-]etcd failed: reason withheld\n');
  });
});
