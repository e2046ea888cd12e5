// The node's CPU usage as the agent reports it, against a known busy loop in a real cgroup: one
// process spinning in the node's cgroup is one core (≈ 1e9 nanocores), measured independently from
// the process's own CPU time in /proc/<pid>/stat.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeCpuSampler } from '../../../vm-images/agent/stats/cpu-rate';
import { createNodeCgroup, joinCgroupScript, killNodeCgroup, nodePids, removeNodeCgroup } from '../../../main/nodes/providers/sandbox/cgroup';
import { pollUntil } from '../../../main/protocol/poll';
import { skipUnlessRoot } from '../../helpers/netns';

/** utime + stime of a process in clock ticks (USER_HZ = 100: 1 tick = 10 ms). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

describe.skipIf(skipUnlessRoot)('node CPU usage from its cgroup', () => {
  const cgroup = `flt-cpu${process.pid}`;
  let busy: ChildProcess | undefined;

  beforeAll(() => {
    createNodeCgroup(cgroup);
  });

  afterAll(async () => {
    if (busy?.pid && busy.exitCode === null) busy.kill('SIGKILL');
    await killNodeCgroup(cgroup);
    removeNodeCgroup(cgroup);
  });

  it('reports one busy core as ≈ 1e9 nanocores (1000m), as the loop\'s own CPU time says', async () => {
    busy = spawn('/bin/sh', ['-c', `${joinCgroupScript(cgroup)}\nexec /bin/sh -c 'while :; do :; done'`], { stdio: 'ignore' });
    const pid = busy.pid!;
    await pollUntil(() => nodePids(cgroup).includes(pid) && cpuTicks(pid) > 10, 10_000, 'the busy loop to run in its cgroup');
    const sampler = new NodeCpuSampler(`/${cgroup}`);
    const t0 = Date.now();
    expect(sampler.sample(t0).usageNanoCores).toBeUndefined(); // a rate needs two samples
    const k0 = cpuTicks(pid);
    // A measuring window of at least 1.5 s of the loop's CPU time (10 ms ticks: ±1 % at most).
    await pollUntil(() => cpuTicks(pid) - k0 >= 150, 20_000, 'the busy loop to use 1.5 s of CPU', 100);
    const k1 = cpuTicks(pid);
    const t1 = Date.now();
    const reported = sampler.sample(t1).usageNanoCores ?? NaN;
    const truth = ((k1 - k0) * 1e7) / ((t1 - t0) * 1e6) * 1e9; // CPU seconds per wall second, in nanocores
    // Under load the loop may get well under a core (CI runs four lanes on two cores); what is checked is that the
    // reported rate is the loop's own, whatever share of a core it had.
    expect(truth).toBeGreaterThan(0.05e9); // the loop really ran in the window
    expect(truth).toBeLessThan(1.05e9); // and one process cannot use more than one
    expect(reported / truth).toBeGreaterThan(0.7);
    expect(reported / truth).toBeLessThan(1.3);
  });
});
