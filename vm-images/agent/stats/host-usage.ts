// The whole machine's CPU and memory from /proc (used when the node has no cgroup of its own).
import { readFileSync } from 'node:fs';

/** Cumulative non-idle CPU time of all CPUs in nanoseconds (from /proc/stat's first line; USER_HZ = 100). */
export function procCpuNanos(text: string = readFileSync('/proc/stat', 'utf8')): number {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat: no cpu line');
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user/nice)
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  return busy * 1e7;
}

export interface MemInfo { totalBytes: number; availableBytes: number; freeBytes: number; inactiveFileBytes: number }

export function procMemInfo(text: string = readFileSync('/proc/meminfo', 'utf8')): MemInfo {
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { totalBytes: kb('MemTotal'), availableBytes: kb('MemAvailable'), freeBytes: kb('MemFree'), inactiveFileBytes: kb('Inactive\\(file\\)') };
}

/** Threads running on the machine and the kernel's limit (for PID pressure). */
export function procPids(): { running: number; max: number } {
  const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ');
  const total = Number((loadavg[3] ?? '0/0').split('/')[1]);
  const max = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
  return { running: Number.isFinite(total) ? total : 0, max: Number.isFinite(max) && max > 0 ? max : 32768 };
}
