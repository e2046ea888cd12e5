// A node's QEMU process on the host: found by its pid file and checked by its command line (a pid
// may have been reused), powered off through QMP (ACPI power button: the guest shuts down) or
// ended by signal; its tap on the cluster's bridge; waiting for the guest's sshd.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { mustRun, runCmd } from '../../exec';
import { pollUntil } from '../../../protocol/poll';
import { linkExists } from '../sandbox/host';

/** The pid of the node's QEMU when it runs (its pid file names a live process whose command line carries the pid file). */
export function vmPid(pidFile: string): number | undefined {
  let pid: number;
  try { pid = Number(fs.readFileSync(pidFile, 'utf8').trim()); } catch { return undefined; }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^\S+ \(.*\) Z /.test(stat)) return undefined;
    return cmd.includes(pidFile) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Sends one QMP command after the capabilities handshake; resolves when QEMU answered it. */
export function qmpCommand(socket: string, command: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = net.connect(socket);
    let buf = '';
    let sent = 0;
    const timer = setTimeout(() => { c.destroy(); reject(new Error(`QMP ${command}: no answer within ${timeoutMs} ms`)); }, timeoutMs);
    const finish = (e?: Error): void => { clearTimeout(timer); c.destroy(); if (e) reject(e); else resolve(); };
    c.on('error', (e) => finish(e));
    c.on('data', (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as { QMP?: unknown; return?: unknown; error?: { desc?: string } };
        if (msg.error) { finish(new Error(`QMP ${command}: ${msg.error.desc ?? 'error'}`)); return; }
        if (msg.QMP && sent === 0) { sent = 1; c.write('{"execute":"qmp_capabilities"}\n'); continue; }
        if (msg.return !== undefined && sent === 1) { sent = 2; c.write(`${JSON.stringify({ execute: command })}\n`); continue; }
        if (msg.return !== undefined && sent === 2) { finish(); return; }
      }
    });
  });
}

async function gone(pidFile: string, pid: number, timeoutMs: number): Promise<boolean> {
  try {
    await pollUntil(() => vmPid(pidFile) !== pid, timeoutMs, `QEMU ${pid} to exit`, 100);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends the node's QEMU. `clean`: the guest is asked to power off (QMP system_powerdown) and given
 * graceMs; then SIGTERM (QEMU exits at once), then SIGKILL. Only ever signals the process its pid file names.
 */
export async function stopVm(pidFile: string, qmpSocket: string, clean: boolean, graceMs = 60_000): Promise<void> {
  const pid = vmPid(pidFile);
  if (!pid) return;
  if (clean) {
    const asked = await qmpCommand(qmpSocket, 'system_powerdown').then(() => true, () => false);
    if (asked && await gone(pidFile, pid, graceMs)) return;
  }
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  if (await gone(pidFile, pid, 10_000)) return;
  try { process.kill(pid, 'SIGKILL'); } catch { return; }
  await gone(pidFile, pid, 10_000);
}

/** The node's tap, persistent, on the bridge and up (idempotent). */
export async function ensureTap(tap: string, bridge: string): Promise<void> {
  if (!linkExists(tap)) {
    const r = await runCmd(['ip', 'tuntap', 'add', 'dev', tap, 'mode', 'tap']);
    if (r.code !== 0 && !/exists|busy/i.test(r.stderr)) throw new Error(`creating tap ${tap}: ${r.stderr.trim()}`);
  }
  await mustRun(['ip', 'link', 'set', 'dev', tap, 'master', bridge]);
  await mustRun(['ip', 'link', 'set', 'dev', tap, 'up']);
}

export async function deleteTap(tap: string): Promise<void> {
  if (!linkExists(tap)) return;
  await mustRun(['ip', 'link', 'del', 'dev', tap]);
}

/** Whether something at host:port answers with an SSH banner ("SSH-2.0-…") within timeoutMs. */
export function sshBanner(host: string, port: number, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect({ host, port });
    let got = '';
    const done = (ok: boolean): void => { clearTimeout(timer); c.destroy(); resolve(ok); };
    const timer = setTimeout(() => done(false), timeoutMs);
    c.on('data', (d: Buffer) => { got += d.toString('latin1'); if (got.includes('\n') || got.length > 8) done(got.startsWith('SSH-')); });
    c.on('error', () => done(false));
    c.on('close', () => done(false));
  });
}
