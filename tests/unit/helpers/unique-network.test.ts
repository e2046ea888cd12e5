// Each run of scripts/run-tests.mjs takes test networks from its own share of the ranges, so runs side by side never
// choose the same subnet (once a host-run node answered SSH for a nodes-run cluster on the subnet both had chosen).
import { describe, expect, it } from 'vitest';
import { laneShare } from '../../helpers/unique-network';

describe('laneShare', () => {
  it('gives each run a share of its own, and a lone vitest run everything', () => {
    const shares = ['vm', 'host', 'nodes', 'in-process', 'node-local'].map((lane) => laneShare(150, lane));
    expect(shares).toEqual([[0, 30], [30, 30], [60, 30], [90, 30], [120, 30]]);
    for (let i = 1; i < shares.length; i++) expect(shares[i][0]).toBeGreaterThanOrEqual(shares[i - 1][0] + shares[i - 1][1]);
    expect(laneShare(150, '')).toEqual([0, 150]); // no run's name (the default is this process's own FLOTILLA_TEST_LANE)
    expect(laneShare(1024, 'nodes')).toEqual([408, 204]);
  });
});
