// The root filesystem shared by the demo images: static busybox, a few applet links, /tmp, /etc basics.
import { readFileSync } from 'node:fs';
import type { TarEntry } from './tar';

const APPLETS = ['sh', 'ash', 'wget', 'cat', 'nslookup', 'httpd', 'nc', 'hostname', 'ip', 'echo', 'ls', 'ps', 'sleep',
  'awk', 'sed', 'grep', 'head', 'tr', 'cut', 'date', 'env', 'expr', 'kill', 'mkdir', 'rm', 'true', 'false', 'test', 'wc', 'ping', 'printf'];

export function busyboxRootfs(busyboxPath = '/usr/bin/busybox'): TarEntry[] {
  return [
    { type: 'dir', path: 'bin' },
    { type: 'file', path: 'bin/busybox', data: readFileSync(busyboxPath), mode: 0o755 },
    ...APPLETS.map((name): TarEntry => ({ type: 'symlink', path: `bin/${name}`, target: 'busybox' })),
    { type: 'dir', path: 'etc' },
    { type: 'file', path: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n') },
    { type: 'file', path: 'etc/group', data: Buffer.from('root:x:0:\nnobody:x:65534:\n') },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'dir', path: 'root', mode: 0o700 },
  ];
}

export function script(path: string, text: string): TarEntry {
  return { type: 'file', path, data: Buffer.from(text), mode: 0o755 };
}
