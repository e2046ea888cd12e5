// vm-images/lima/worker.yaml against the rules Lima applies to it (sources: lima-vm/lima v1.0–v2.2):
// every param used by a script (limayaml.ValidateParamIsUsed), port forwarding (hostagent/port.go
// forwardingAddresses: the template's rules, then Lima's fallback rule for 127.0.0.1), the host keys
// kept across boots (cloud-init's cc_ssh reads ssh_deletekeys from /etc/cloud/cloud.cfg.d), and
// provisioning that cannot hang on apt's lock or wait out a probe.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Rule { guestIP?: string; guestIPMustBeZero?: boolean; guestPort?: number; guestPortRange?: [number, number]; proto?: string; ignore?: boolean }
interface Template {
  networks: Array<{ lima?: string }>;
  param: Record<string, string>;
  portForwards?: Rule[];
  provision: Array<{ mode: string; script: string }>;
  probes?: unknown[];
}

const text = fs.readFileSync(path.join(__dirname, '../../../vm-images/lima/worker.yaml'), 'utf8');
const t = parse(text) as Template;
const system = t.provision.filter((p) => p.mode === 'system').map((p) => p.script);

const unspecified = (ip: string): boolean => ip === '0.0.0.0' || ip === '::';

/** Lima's forwardingAddresses (pkg/hostagent/port.go): would a guest TCP listener be forwarded to the host? */
function forwarded(rules: Rule[], guestIP: string, port: number): boolean {
  const all = [...rules, { guestIP: '127.0.0.1', guestPortRange: [1, 65535] as [number, number] }]; // Lima appends this fallback
  for (const r of all) {
    const ruleIP = r.guestIP ?? (r.guestIPMustBeZero ? '0.0.0.0' : '127.0.0.1');
    const [lo, hi] = r.guestPortRange ?? [r.guestPort ?? 0, r.guestPort ?? 0];
    if (!['tcp', 'any'].includes(r.proto ?? 'tcp') || port < lo || port > hi) continue;
    const match = unspecified(guestIP) || guestIP === ruleIP || (guestIP === '::1' && ruleIP === '127.0.0.1') || (unspecified(ruleIP) && !r.guestIPMustBeZero);
    if (!match) continue;
    if (r.ignore) {
      if (unspecified(guestIP) && !unspecified(ruleIP)) continue;
      return false;
    }
    return true;
  }
  return false;
}

describe('the Lima worker template', () => {
  it('asks for the user-v2 network and uses every param in a provision script (Lima refuses unused ones)', () => {
    expect(t.networks).toEqual([{ lima: 'user-v2' }]);
    for (const key of Object.keys(t.param)) expect(system.join('\n')).toMatch(new RegExp(`\\bPARAM_${key}\\b`));
  });

  it('forwards none of the node\'s ports to the host: not the agent\'s 10250, the API tunnel\'s 6443, nor pods\' host ports', () => {
    const rules = t.portForwards ?? [];
    for (const [ip, port] of [['127.0.0.1', 10250], ['127.0.0.1', 6443], ['0.0.0.0', 30080], ['::', 8080], ['::1', 6443]] as const) {
      expect(forwarded(rules, ip, port), `${ip}:${port}`).toBe(false);
    }
    expect(forwarded([], '127.0.0.1', 10250)).toBe(true); // what Lima does without the rule
    expect(forwarded([{ guestPortRange: [1, 65535], ignore: true }], '0.0.0.0', 6443)).toBe(true); // a 127.0.0.1 rule would not do
  });

  it('keeps the SSH host keys across boots: a system script writes ssh_deletekeys: false under /etc/cloud/cloud.cfg.d', () => {
    const written = system.flatMap((s) => [...s.matchAll(/cat > (\/etc\/cloud\/cloud\.cfg\.d\/[\w.-]+\.cfg) <<'EOF'\n([\s\S]*?)\nEOF/g)]);
    expect(written).toHaveLength(1);
    expect(parse(written[0][2])).toEqual({ ssh_deletekeys: false });
  });

  it('provisions without a readiness probe, records its outcome for the provider, and bounds apt', () => {
    expect(t.probes).toBeUndefined(); // a failing probe is retried for the whole boot timeout
    const packages = system.find((s) => s.includes('apt-get'))!;
    for (const p of ['containerd', 'runc', 'containernetworking-plugins', 'iptables', 'nodejs']) expect(packages).toContain(p);
    expect(packages).toContain('DPkg::Lock::Timeout=');
    expect(packages).toContain('--error-on=any');
    expect(packages).toMatch(/echo running > "\$st\/state"[\s\S]*echo done > "\$st\/state"\s*$/);
    expect(packages).toContain('/run/flotilla-provision');
    expect(packages).toContain('grep -qxF');
  });

  it('has scripts the shells parse', () => {
    for (const s of system) {
      const shell = s.startsWith('#!/bin/bash') ? 'bash' : 'sh';
      expect(() => execFileSync(shell, ['-n'], { input: s })).not.toThrow();
    }
  });
});
