// Reaching into a pod on a sandbox node from the host: the host PID of one of its processes (its
// containers run in cgroups named after the pod's uid), and the host's curl run in that pod's network
// namespace (busybox's TLS cannot talk to the API server's ECDSA certificate).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

/** The host PID of the pod's process whose command line starts with `command` (NUL-separated argv). */
export function podPid(uid: string, command: string): number | undefined {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cg = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      if (!cg.includes(uid) && !cg.includes(uid.replace(/-/g, '_'))) continue;
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(command)) return Number(pid);
    } catch { /* exited */ }
  }
  return undefined;
}

/** curl in the pod's network namespace with a bearer token, verifying the server against `caFile`: `<status> <body>`. */
export function curlFromPod(pid: number, token: string, caFile: string, url: string, curlArgs: string[] = []): Promise<string> {
  return new Promise((resolve) => {
    const args = ['-t', String(pid), '-n', 'curl', '-sS', '--max-time', '10', '--cacert', caFile, '-H', `Authorization: Bearer ${token}`, '-w', '\n%{http_code}', ...curlArgs, url];
    execFile('nsenter', args, (_err, stdout, stderr) => {
      const i = stdout.lastIndexOf('\n');
      resolve(`${stdout.slice(i + 1)} ${stdout.slice(0, i)}${stderr}`);
    });
  });
}
