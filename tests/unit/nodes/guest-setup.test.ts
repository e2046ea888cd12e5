// The node packages and first-boot steps live in main/nodes/providers/guest-setup.ts: the QEMU image is
// built from them, and the Lima template and Multipass cloud-init (static files the VM tools read) must
// say the same, so the three providers' nodes stay alike.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { modulesLoadConf, NODE_DISABLED_UNITS, NODE_JS_PACKAGE, NODE_MODULES, NODE_PACKAGES, sysctlConf } from '../../../main/nodes/providers/guest-setup';
import { hostRecipe } from '../../../main/nodes/providers/qemu/image-recipe';

const asset = (p: string): string => fs.readFileSync(path.join(__dirname, '../../../vm-images', p), 'utf8');
const lima = parse(asset('lima/worker.yaml')) as { provision: Array<{ mode: string; script: string }> };
const cloud = parse(asset('multipass/cloud-init.yaml')) as { packages: string[]; write_files: Array<{ path: string; content: string }>; runcmd: string[][] };
const limaScript = lima.provision.map((p) => p.script).join('\n');

describe('one package list and one set of first-boot steps for every VM provider', () => {
  it('the Lima template installs exactly the node packages and Node.js', () => {
    const loop = /for p in ([^;]+); do/.exec(limaScript)?.[1]?.trim().split(/\s+/);
    expect(loop).toEqual([...NODE_PACKAGES, NODE_JS_PACKAGE]);
  });

  it('the Multipass cloud-init installs exactly the node packages and Node.js', () => {
    expect(cloud.packages).toEqual([...NODE_PACKAGES, NODE_JS_PACKAGE]);
  });

  it('both write the same kernel modules and sysctls as the QEMU image', () => {
    const files = Object.fromEntries(cloud.write_files.map((f) => [f.path, f.content]));
    expect(files['/etc/modules-load.d/flotilla.conf']).toBe(modulesLoadConf());
    expect(files['/etc/sysctl.d/90-flotilla.conf']).toBe(sysctlConf());
    expect(limaScript).toContain(`echo ${NODE_MODULES.join(' ')} > /etc/modules-load.d/flotilla.conf`);
    expect(limaScript).toContain(`cat > /etc/sysctl.d/90-flotilla.conf <<'SYSCTL'\n${sysctlConf()}SYSCTL`);
    const img = Object.fromEntries(hostRecipe().files.map((f) => [f.path, f.content]));
    expect(img['/etc/modules-load.d/flotilla.conf']).toBe(modulesLoadConf());
    expect(img['/etc/sysctl.d/90-flotilla.conf']).toBe(sysctlConf());
  });

  it('all three turn off the distro\'s containerd unit', () => {
    for (const unit of NODE_DISABLED_UNITS) {
      expect(limaScript).toContain(`systemctl disable --now ${unit}`);
      expect(cloud.runcmd).toContainEqual(['systemctl', 'disable', '--now', unit]);
      expect(hostRecipe().disabledUnits).toContain(unit);
    }
    expect(hostRecipe().packages).toEqual(expect.arrayContaining([...NODE_PACKAGES]));
  });
});
