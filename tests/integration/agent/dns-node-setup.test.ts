// The cluster DNS address on a node (dns/node-setup.ts) in a real network namespace with real iptables: the address
// on the loopback device and the six NOTRACK rules in the raw table, written with one iptables-save and one
// iptables-restore on a new node; set up again, nothing doubled and nothing written; one rule removed by hand is put
// back alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notrackRules, savedLine, setUpDnsAddress } from '../../../vm-images/agent/dns/node-setup';
import { netnsExec, run, type Exec } from '../../../vm-images/agent/proxy/exec';
import { createNetns, deleteNetns, skipUnlessRoot } from '../../helpers/netns';

const IP = '10.96.0.10';

describe.skipIf(skipUnlessRoot)('the cluster DNS address on a node', () => {
  let ns = '';
  beforeAll(async () => { ns = await createNetns('dns'); });
  afterAll(async () => { if (ns) await deleteNetns(ns); });

  /** The real exec in the namespace, each process it starts named in `ran`. */
  function counted(ran: string[]): Exec {
    const exec = netnsExec(ns);
    return (argv, stdin) => { ran.push(argv.slice(0, 2).join(' ')); return exec(argv, stdin); };
  }
  const rawRules = async (): Promise<string[]> => (await run(netnsExec(ns), ['iptables-save', '-t', 'raw'])).split('\n').filter((l) => l.startsWith('-A '));

  it('puts the address and the rules in place with three processes, and again with two, doubling nothing', async () => {
    const first: string[] = [];
    await setUpDnsAddress(counted(first), IP);
    expect(first).toEqual(['ip addr', 'iptables-save -t', 'iptables-restore --noflush']);
    expect(await run(netnsExec(ns), ['ip', '-4', '-o', 'addr', 'show', 'dev', 'lo'])).toContain(`inet ${IP}/32`);
    const want = notrackRules(IP).map(savedLine);
    expect((await rawRules()).sort()).toEqual([...want].sort());

    const again: string[] = [];
    await setUpDnsAddress(counted(again), IP);
    expect(again).toEqual(['ip addr', 'iptables-save -t']);
    expect((await rawRules()).sort()).toEqual([...want].sort());
  });

  it('puts back a rule removed by hand, and only it', async () => {
    const [gone, ...kept] = notrackRules(IP);
    if (!gone) throw new Error('no rules');
    await run(netnsExec(ns), ['iptables', '-t', 'raw', '-D', gone.chain, ...gone.args]);
    expect(await rawRules()).not.toContain(savedLine(gone));
    const ran: string[] = [];
    await setUpDnsAddress(counted(ran), IP);
    // Rules of ours are there, so the one the save does not show is asked with -C before it is written.
    expect(ran).toEqual(['ip addr', 'iptables-save -t', 'iptables -w', 'iptables-restore --noflush']);
    expect((await rawRules()).sort()).toEqual([savedLine(gone), ...kept.map(savedLine)].sort());
  });
});
