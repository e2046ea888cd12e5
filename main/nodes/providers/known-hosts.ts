// Host keys of VM nodes, pinned per machine: D/<provider>/known_hosts/<name> (or D/lima-known-hosts).
// A pin is the host key plus, where the provider can tell, the guest's boot id and the identity
// Flotilla gave the instance when it made it, so that a changed key can be told apart from a reboot
// of the same instance (providers/lima-guest.ts). Files written before pins had those fields hold
// the bare key line and read as a pin with the key only.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface HostPin {
  /** OpenSSH public key line ("ssh-ed25519 AAAA…"); empty: nothing pinned yet. */
  hostKey: string;
  /** The guest's /proc/sys/kernel/random/boot_id when the key was pinned or last seen. */
  bootId?: string;
  /** The identity Flotilla gave the instance when it created it. */
  instanceId?: string;
}

function parsePin(text: string): HostPin {
  const t = text.trim();
  if (!t.startsWith('{')) return { hostKey: t };
  try {
    const o = JSON.parse(t) as Partial<HostPin>;
    return {
      hostKey: typeof o.hostKey === 'string' ? o.hostKey : '',
      ...(typeof o.bootId === 'string' && o.bootId ? { bootId: o.bootId } : {}),
      ...(typeof o.instanceId === 'string' && o.instanceId ? { instanceId: o.instanceId } : {}),
    };
  } catch {
    return { hostKey: '' };
  }
}

export class KnownHosts {
  constructor(private readonly dir: string) {}

  get(name: string): HostPin {
    try { return parsePin(fs.readFileSync(path.join(this.dir, name), 'utf8')); } catch { return { hostKey: '' }; }
  }

  set(name: string, pin: HostPin): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, name);
    fs.writeFileSync(`${file}.part`, `${JSON.stringify(pin)}\n`, { mode: 0o600 });
    fs.renameSync(`${file}.part`, file);
  }

  forget(name: string): void {
    fs.rmSync(path.join(this.dir, name), { force: true });
  }
}
