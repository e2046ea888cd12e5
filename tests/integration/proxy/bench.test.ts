import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { benchProxy } from '../../../main/cli/bench-proxy-sync';
import { skipUnlessRoot } from '../../helpers/netns';

describe.skipIf(skipUnlessRoot)('benchProxy', () => {
  it('measures full and incremental syncs in a namespace it removes afterwards', async () => {
    const r = await benchProxy({ services: 30, endpointsPerService: 3, runs: 1 });
    expect(r.services).toBe(30);
    expect(r.full_sync_ms).toBeGreaterThan(0);
    expect(r.incremental_sync_ms).toBeGreaterThan(0);
    const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    expect(left).not.toContain(`flt-bench-p${process.pid}-`);
  });
});
