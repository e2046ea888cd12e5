// The Multipass provider against a stand-in multipass that behaves as multipass does where the
// review found the provider wrong (stand-ins.ts, multipass-stand-in.ts): the Linux snap cannot read
// a --cloud-init file in a hidden directory, `delete` without --purge leaves a Deleted instance
// behind, and `info` of one instance can fail while the others are fine. The user's own instances
// are in foreign-node-guard.test.ts.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MultipassProvider } from '../../../main/nodes/providers/multipass';
import { MultipassRecords } from '../../../main/nodes/providers/multipass-records';
import { useStandIns } from './stand-ins';

const suite = useStandIns('flotilla-mp-');
const spec = (name: string) => ({ name, cpus: 1, memoryMiB: 1024, diskGiB: 5 });
const none = (): void => undefined;
/** The instance a data dir's machine got, from the stand-in's own state (whatever the provider's bookkeeping). */
const instanceOf = (machine: string, dataDirInstances: string[]): string | undefined =>
  Object.keys(suite.fakes.multipassState().instances).filter((n) => !dataDirInstances.includes(n)).find((n) => n === machine || n.endsWith(`-${machine}`));

describe('the Multipass provider and multipass as it is', () => {
  it('launches from a data dir in a hidden directory: the cloud-init goes on stdin', async () => {
    const dataDir = path.join(suite.dir, '.flotilla');
    const p = new MultipassProvider({ dataDir });
    const info = await p.create(spec('node-1'), none);
    expect(info).toMatchObject({ name: 'node-1', state: 'Running' });
    const instance = new MultipassRecords(dataDir).get('node-1');
    const launch = suite.fakes.calls().find((c) => c.argv[0] === 'launch' && c.argv.includes(instance?.instance ?? '?'));
    expect(launch?.argv.slice(launch.argv.indexOf('--cloud-init'), launch.argv.indexOf('--cloud-init') + 2)).toEqual(['--cloud-init', '-']);
    const sent = suite.fakes.multipassState().instances[instance!.instance].cloudInit ?? '';
    expect(sent).toContain(instance!.id);
    expect(sent).toContain(' ssh-ed25519 ');
    expect(sent).not.toContain('__FLOTILLA_');
    await p.delete('node-1');
  });

  it('makes a machine anew when its instance was deleted but not purged, and start recovers one', async () => {
    const dataDir = path.join(suite.dir, 'deleted');
    const p = new MultipassProvider({ dataDir });
    const before = Object.keys(suite.fakes.multipassState().instances);
    await p.create(spec('d-1'), none);
    const inst = instanceOf('d-1', before)!;
    suite.fakes.seedMultipass({ [inst]: { state: 'Deleted', ipv4: [] } }); // `multipass delete` by hand
    expect((await p.create(spec('d-1'), none)).state).toBe('Running');
    expect(suite.fakes.multipassState().instances[inst].state).toBe('Running');

    suite.fakes.seedMultipass({ [inst]: { state: 'Deleted', ipv4: ['10.74.70.150'] } });
    expect((await p.list()).map((m) => [m.name, m.state])).toEqual([['d-1', 'Missing']]);
    expect((await p.start('d-1')).state).toBe('Running');
    expect(suite.fakes.calls().some((c) => c.argv[0] === 'recover' && c.argv[1] === inst)).toBe(true);
    await p.delete('d-1');
  });

  it('lists every machine when multipass cannot inspect one of them', async () => {
    const dataDir = path.join(suite.dir, 'info-fails');
    const p = new MultipassProvider({ dataDir });
    const before = Object.keys(suite.fakes.multipassState().instances);
    await p.create(spec('w-1'), none);
    await p.create(spec('w-2'), none);
    suite.setEnv('FAKE_INFO_FAIL', instanceOf('w-1', before));
    try {
      expect((await p.list()).map((m) => [m.name, m.state])).toEqual([['w-1', 'Running'], ['w-2', 'Running']]);
    } finally {
      suite.setEnv('FAKE_INFO_FAIL', undefined);
    }
    await p.delete('w-1');
    await p.delete('w-2');
  });
});
