// CRI log locations: <logDir>/<namespace>_<name>_<uid>/<container>/<restartCount>.log (so `previous` is restartCount-1).
import { join } from 'node:path';

export function podLogDir(logDir: string, pod: { namespace: string; name: string; uid: string }): string {
  return join(logDir, `${pod.namespace}_${pod.name}_${pod.uid}`);
}

export function containerLogPath(logDir: string, pod: { namespace: string; name: string; uid: string }, container: string, restartCount: number): string {
  return join(podLogDir(logDir, pod), container, `${restartCount}.log`);
}

/** Parses a pod log directory name back into its parts (uid is the last segment; names cannot contain '_'). */
export function parsePodLogDir(dirName: string): { namespace: string; name: string; uid: string } | undefined {
  const parts = dirName.split('_');
  if (parts.length !== 3 || parts.some((p) => !p)) return undefined;
  return { namespace: parts[0] ?? '', name: parts[1] ?? '', uid: parts[2] ?? '' };
}
