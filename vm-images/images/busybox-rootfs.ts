// The root filesystem shared by the demo images: static busybox, a few applet links, /tmp, /etc basics.
import { readFileSync } from 'node:fs';
import type { TarEntry } from './tar';
import { checkBinary, type Toolchain } from './platforms';

const APPLETS = ['sh', 'ash', 'wget', 'cat', 'nslookup', 'httpd', 'nc', 'hostname', 'ip', 'echo', 'ls', 'ps', 'sleep',
  'awk', 'sed', 'grep', 'head', 'tr', 'cut', 'date', 'env', 'expr', 'kill', 'mkdir', 'rm', 'true', 'false', 'test', 'wc', 'ping', 'printf',
  'tar', 'tail', 'vi', 'id', 'uname', 'df', 'free', 'top', 'netstat', 'mv', 'cp', 'touch', 'chmod'];

/** The rootfs for the toolchain's architecture (its static busybox). */
export function busyboxRootfs(tc: Toolchain): TarEntry[] {
  checkBinary(tc.busybox, tc.arch, `a static busybox (Debian's busybox-static:${tc.arch})`);
  return [
    { type: 'dir', path: 'bin' },
    { type: 'file', path: 'bin/busybox', data: readFileSync(tc.busybox), mode: 0o755 },
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

/**
 * A demo HTTP app on busybox: `nc` runs /handler.sh per connection on $PORT (default 8080).
 * `respond` is the handler's shell that sets $body and logs; it runs after the request line is in
 * $method $path and the headers are consumed. The server works out once what a request would ask of a process each
 * time ($SERVE_HOST, $SERVE_IP, $SERVE_CR: the hostname, the first non-loopback IPv4 address, a carriage return), so
 * a request costs two processes rather than ten: a one-second readiness probe stays answered on a busy machine.
 */
export function httpApp(tc: Toolchain, name: string, respond: string): TarEntry[] {
  const serve = `#!/bin/sh
port="\${PORT:-8080}"
SERVE_HOST="$(hostname)"
SERVE_IP="$(ip -4 -o addr show 2>/dev/null | awk '$2 != "lo" { split($4, a, "/"); print a[1]; exit }')"
SERVE_CR="$(printf '\\r')"
export SERVE_HOST SERVE_IP SERVE_CR
echo "${name}: $SERVE_HOST listening on :$port"
nc -ll -p "$port" -e /handler.sh &
trap 'kill $!; exit 0' TERM INT
wait
`;
  // One connection on stdin/stdout: read the request, answer, log a line to the container's stdout (PID 1's). A connection
  // closed before its request line (a TCP probe, a port scan) gets no answer and no log line, as a web server's.
  const handler = `#!/bin/sh
read -r method path version
[ -n "$method" ] || exit 0
while read -r line; do
  [ -z "$line" ] || [ "$line" = "$SERVE_CR" ] && break
done
${respond}
printf 'HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: %s\\r\\nConnection: close\\r\\n\\r\\n%s' "\${#body}" "$body"
`;
  return [...busyboxRootfs(tc), script('serve.sh', serve), script('handler.sh', handler)];
}
