// Whose is a running sandbox node? Its processes live in the mount namespace this data dir persisted
// at D/sandbox/nodes/<name>/ns/mnt. Another data dir's node that happens to have the same names (two
// data dirs set up by hand with the same bridge and prefix) lives in another one: nothing here may
// adopt, halt or destroy it.
import * as fs from 'node:fs';
import { nodePids } from './cgroup';
import { nodeDirs, type SandboxNodeState } from './node-state';

export type NodeOwner = 'ours' | 'foreign' | 'none';

function nsId(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch { return undefined; }
}

/** 'none': no process in the node's cgroup; 'ours': they run in this data dir's namespaces; else 'foreign'. */
export function nodeOwner(dataDir: string, s: SandboxNodeState): NodeOwner {
  const pids = nodePids(s.cgroup);
  if (pids.length === 0) return 'none';
  const ours = nsId(nodeDirs(dataDir, s.name).mntFile);
  const host = nsId('/proc/self/ns/mnt');
  let seen = false;
  for (const pid of pids) {
    const ns = nsId(`/proc/${pid}/ns/mnt`);
    if (ns === undefined || ns === host) continue; // exited, or not yet in the node (a starting shell)
    if (ns === ours) return 'ours';
    seen = true;
  }
  return seen ? 'foreign' : 'ours';
}

export class ForeignNodeError extends Error {
  constructor(s: SandboxNodeState) {
    super(`cgroup ${s.cgroup} and network namespace ${s.netns} belong to a node of another data dir (same bridge and names, set by hand?): not touching them`);
    this.name = 'ForeignNodeError';
  }
}
