// The part of a Lima instance's boot console worth showing when a boot fails: the console log the
// driver writes in the instance dir (serial.log for QEMU's default serial port, serialp.log for the
// PCI one, serialv.log for virtio on VZ; the newest one is the one in use), its error lines — apt's
// "E:"/"W:"/"Err:" lines, the provisioning script's "flotilla provisioning failed", Lima's boot.sh
// "WARNING: Failed to execute" — and its last lines. Cloud-init's per-boot output, where Lima's boot
// and provisioning scripts run, reaches the console; errors usually scroll out of the tail.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SERIAL_LOGS = ['serial.log', 'serialp.log', 'serialv.log'];

const ERROR_LINE = /(?:^|\s|:\s)([EW]: .+|Err:\d* .+|flotilla provisioning failed.*|LIMA [^|]*\| WARNING: Failed to execute .+)$/;

export interface BootLogExcerpt { file: string; errors: string[]; tail: string[] }

export function bootLogExcerpt(instanceDir: string, tailLines = 10, errorLines = 8): BootLogExcerpt | undefined {
  const found = SERIAL_LOGS.map((f) => path.join(instanceDir, f)).flatMap((f) => {
    try { return [{ f, mtime: fs.statSync(f).mtimeMs }]; } catch { return []; }
  }).sort((a, b) => b.mtime - a.mtime)[0];
  if (!found) return undefined;
  let text = '';
  try { text = fs.readFileSync(found.f, 'utf8'); } catch { return undefined; }
  const lines = text.trimEnd().split('\n');
  const tail = lines.slice(-tailLines);
  const errors = lines.slice(0, -tailLines).map((l) => ERROR_LINE.exec(l)?.[1]).filter((l): l is string => !!l).slice(-errorLines);
  return { file: path.basename(found.f), errors, tail };
}

export function formatBootLog(x: BootLogExcerpt | undefined): string {
  if (!x) return '';
  return `${x.errors.length ? `\nerrors in ${x.file}:\n${x.errors.join('\n')}` : ''}\nlast lines of ${x.file}:\n${x.tail.join('\n')}`;
}
