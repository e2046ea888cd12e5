import { describe, expect, it } from 'vitest';
import type { Exec } from '../../../vm-images/agent/proxy/exec';
import { JUMPS, insertLines, missingJumps, savedForm } from '../../../vm-images/agent/proxy/jumps';
import { parseSave } from '../../../vm-images/agent/proxy/saved-chains';

const prerouting = JUMPS.find((j) => j.table === 'nat' && j.from === 'PREROUTING')!;
const postrouting = JUMPS.find((j) => j.table === 'nat' && j.from === 'POSTROUTING')!;

function recordingExec(code: number): { exec: Exec; calls: string[][] } {
  const calls: string[][] = [];
  return { calls, exec: async (argv) => { calls.push(argv); return { code, stdout: '', stderr: '' }; } };
}

describe('missingJumps', () => {
  it('trusts the save: present jumps and jumps to chains that do not exist need no iptables -C', async () => {
    const saved = parseSave(['*nat', ':PREROUTING ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]', savedForm(prerouting), 'COMMIT', ''].join('\n'));
    const { exec, calls } = recordingExec(0);
    expect(await missingJumps(exec, saved, [prerouting, postrouting])).toEqual([postrouting]);
    expect(calls).toEqual([]);
  });

  it('checks with iptables -C a jump whose chain exists but whose line the save does not show', async () => {
    const saved = parseSave(['*nat', ':KUBE-SERVICES - [0:0]', '-A PREROUTING -j KUBE-SERVICES -m comment --comment x', 'COMMIT', ''].join('\n'));
    const present = recordingExec(0);
    expect(await missingJumps(present.exec, saved, [prerouting])).toEqual([]);
    expect(present.calls).toEqual([['iptables', '-w', '5', '-t', 'nat', '-C', 'PREROUTING', ...prerouting.args]]);
    const absent = recordingExec(1);
    expect(await missingJumps(absent.exec, saved, [prerouting])).toEqual([prerouting]);
    await expect(missingJumps(recordingExec(2).exec, saved, [prerouting])).rejects.toThrow(/iptables -C PREROUTING failed/);
  });

  it('insert lines put each jump at the top of its built-in chain', () => {
    expect(insertLines([prerouting])).toEqual([{ table: 'nat', line: '-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES' }]);
  });
});
