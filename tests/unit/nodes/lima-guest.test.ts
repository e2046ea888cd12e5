// What the Lima provider makes of a guest's answer (tests/fixtures/providers/lima-guest-state-*.txt)
// and which host key it pins: the user-v2 guest's single eth0 (never the pod bridge), provisioning's
// outcome, and re-pinning only for a reboot of the instance Flotilla created.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideHostPin, guestIP, parseGuestState, type GuestState } from '../../../main/nodes/providers/lima-guest';
import { bootLogExcerpt, formatBootLog } from '../../../main/nodes/providers/lima-boot-log';

const FX = path.join(__dirname, '../../fixtures/providers');
const fx = (f: string): string => fs.readFileSync(path.join(FX, f), 'utf8');

describe('the guest\'s state', () => {
  it('reads a provisioned user-v2 guest: boot, identity, host key without its comment, eth0\'s address', () => {
    const g = parseGuestState(fx('lima-guest-state-ready.txt'));
    expect(g).toEqual({
      bootId: '7c1d2e9a-3f44-4b6e-9a1c-2d5e8f0b7a61', instanceId: '9f2c4e1ab07d4c35a1e6d0b8c2f47a19', provision: 'done', provisionError: '',
      hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFAkyIH1sxZ06T131oweulqmNP70/gH/DgTLiJtwkCdF', ip: '192.168.104.5', gateway: '192.168.104.2',
    });
  });

  it('keeps to eth0 once the node has a pod bridge, and without a default route skips cni0 and Lima\'s host-only network', () => {
    expect(parseGuestState(fx('lima-guest-state-node.txt')).ip).toBe('192.168.104.5');
    const links = fx('lima-guest-state-node.txt').split('@@addr\n')[1];
    const cniFirst = JSON.stringify((JSON.parse(links) as Array<{ ifname: string }>).sort((a, b) => (a.ifname === 'cni0' ? -1 : b.ifname === 'cni0' ? 1 : 0)));
    expect(guestIP('[]', cniFirst)).toBe('192.168.104.5');
    const slirpOnly = JSON.stringify([{ ifname: 'eth0', addr_info: [{ family: 'inet', local: '192.168.5.15', scope: 'global' }] }]);
    expect(guestIP('[{"dst":"default","dev":"eth0"}]', slirpOnly)).toBeUndefined();
    expect(guestIP('not json', 'not json')).toBeUndefined();
  });

  it('skips the pod bridge in the cluster\'s own CIDR (serve --cluster-cidr), and takes a guest address in the default one', () => {
    const links = JSON.stringify([
      { ifname: 'cni0', addr_info: [{ family: 'inet', local: '10.128.3.1', scope: 'global' }] },
      { ifname: 'eth0', addr_info: [{ family: 'inet', local: '10.244.0.9', scope: 'global' }] },
    ]);
    expect(guestIP('[]', links, '10.128.0.0/16')).toBe('10.244.0.9');
    expect(parseGuestState(`@@route\n[]\n@@addr\n${links}\n`, '10.128.0.0/16').ip).toBe('10.244.0.9');
    expect(guestIP('[]', links)).toBe('10.128.3.1'); // the default cluster CIDR (10.244.0.0/16) rules out eth0's address
  });

  it('reads a failed provisioning with apt\'s error lines, and "pending" when the state file is not there', () => {
    const failed = parseGuestState(fx('lima-guest-state-failed.txt'));
    expect(failed.provision).toBe('failed');
    expect(failed.provisionError).toMatch(/^apt-get update \(exit 100\)\nW: Failed to fetch [\s\S]*\nE: Some index files failed to download/);
    expect(parseGuestState('@@boot_id\nx\n@@provision\n@@host_key\n').provision).toBe('pending');
  });
});

describe('the host key to pin', () => {
  const g = (over: Partial<GuestState>): GuestState => ({ bootId: 'boot-2', instanceId: 'id-1', provision: 'done', provisionError: '', hostKey: 'ssh-ed25519 KEY2', ...over });

  it('pins the guest\'s key first, and keeps it while it stays the same (noting the boot)', () => {
    expect(decideHostPin({ hostKey: '', instanceId: 'id-1' }, g({}))).toEqual({ ok: true, changed: true, repinned: false, pin: { hostKey: 'ssh-ed25519 KEY2', instanceId: 'id-1', bootId: 'boot-2' } });
    expect(decideHostPin({ hostKey: 'ssh-ed25519 KEY2', instanceId: 'id-1', bootId: 'boot-2' }, g({}))).toMatchObject({ ok: true, changed: false });
    expect(decideHostPin({ hostKey: 'ssh-ed25519 KEY2', instanceId: 'id-1', bootId: 'boot-1' }, g({}))).toMatchObject({ ok: true, changed: true, repinned: false });
  });

  it('pins a new key after a reboot of the same instance, and nothing else', () => {
    const pinned = { hostKey: 'ssh-ed25519 KEY1', instanceId: 'id-1', bootId: 'boot-1' };
    expect(decideHostPin(pinned, g({}))).toMatchObject({ ok: true, repinned: true, pin: { hostKey: 'ssh-ed25519 KEY2', bootId: 'boot-2' } });
    expect(decideHostPin(pinned, g({ bootId: 'boot-1' }))).toEqual({ ok: false, reason: 'its SSH host key changed without a reboot; refusing to connect' });
    const why = (d: ReturnType<typeof decideHostPin>): string => (d.ok ? 'accepted' : d.reason);
    expect(why(decideHostPin(pinned, g({ instanceId: 'id-9' })))).toMatch(/not the instance Flotilla created/);
    expect(why(decideHostPin({ hostKey: 'ssh-ed25519 KEY1' }, g({})))).toMatch(/made by an older Flotilla/);
  });
});

describe('the boot log shown when a boot fails', () => {
  it('brings apt\'s and the provisioning\'s error lines up from above the tail', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bootlog-'));
    try {
      fs.copyFileSync(path.join(FX, 'lima-serialv-provision-failed.log'), path.join(dir, 'serialv.log'));
      const x = bootLogExcerpt(dir, 5);
      expect(x?.file).toBe('serialv.log');
      expect(x?.errors).toEqual([
        'Err:1 http://ports.ubuntu.com/ubuntu-ports noble InRelease',
        'W: Failed to fetch http://ports.ubuntu.com/ubuntu-ports/dists/noble/InRelease  Temporary failure resolving \'ports.ubuntu.com\'',
        'E: Some index files failed to download. They have been ignored, or old ones used instead.',
        'flotilla provisioning failed: apt-get update (exit 100)',
        'LIMA 2025-03-04T09:22:00+00:00| WARNING: Failed to execute /mnt/lima-cidata/provision.system/00000001',
      ]);
      expect(formatBootLog(x)).toMatch(/^\nerrors in serialv\.log:\nErr:1 [\s\S]*\nlast lines of serialv\.log:\n[\s\S]*lima-node-1 login:/);
      expect(bootLogExcerpt(path.join(dir, 'nothing'))).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
