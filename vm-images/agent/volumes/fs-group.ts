// The kubelet's SetVolumeOwnership (pkg/volume/volume_linux.go): with a pod fsGroup, every file and
// directory of a volume gets that group, files group read (read-only volumes) or read-write, and
// directories setgid and group-searchable, so files made later inherit the group. Symlinks get the group
// only. And FsUserFrom (pkg/volume/util): the user every container of the pod runs as, if they all agree.
import { chmodSync, lchownSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';

const RW = 0o660;
const RO = 0o440;
const EXEC = 0o110;
const SETGID = 0o2000;

export function setVolumeOwnership(dir: string, fsGroup: number | undefined, readOnly: boolean): void {
  if (fsGroup === undefined) return;
  const walk = (p: string): void => {
    const st = lstatSync(p);
    lchownSync(p, -1, fsGroup);
    if (st.isSymbolicLink()) return;
    let mask = readOnly ? RO : RW;
    if (st.isDirectory()) mask |= SETGID | EXEC;
    chmodSync(p, (st.mode & 0o7777) | mask);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(dir);
}

/** The pod's fsGroup, if set. */
export function fsGroupOf(pod: Pod): number | undefined {
  return pod.spec?.securityContext?.fsGroup ?? undefined;
}

/** FsUserFrom: the runAsUser of all of the pod's (init and app) containers when they agree, else undefined. */
export function fsUserOf(pod: Pod): number | undefined {
  const podUser = pod.spec?.securityContext?.runAsUser;
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let user: number | undefined;
  for (const c of all) {
    const u = c.securityContext?.runAsUser ?? podUser;
    if (u === undefined || u === null) return undefined;
    if (user !== undefined && user !== u) return undefined;
    user = u;
  }
  return user;
}
