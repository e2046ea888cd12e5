// docker.io/flotilla/hello:1 — answers every HTTP request on :8080 with its pod name and IP, logs one line per request.
import { busyboxRootfs, script } from './busybox-rootfs';
import type { ImageSpec } from './oci';

const SERVE = `#!/bin/sh
port="\${PORT:-8080}"
echo "hello: $(hostname) listening on :$port"
nc -ll -p "$port" -e /handler.sh &
trap 'kill $!; exit 0' TERM INT
wait
`;

// One connection on stdin/stdout: read the request, answer, log a line to the container's stdout (PID 1's).
const HANDLER = `#!/bin/sh
read -r method path version
while read -r line; do
  [ -z "$(printf '%s' "$line" | tr -d '\\r')" ] && break
done
name="$(hostname)"
ip="$(ip -4 -o addr show 2>/dev/null | awk '$2 != "lo" { split($4, a, "/"); print a[1]; exit }')"
body="Hello from $name ($ip)
"
printf 'HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: %s\\r\\nConnection: close\\r\\n\\r\\n%s' "\${#body}" "$body"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $method $path 200" > /proc/1/fd/1
`;

export function helloImage(): ImageSpec {
  return {
    ref: 'docker.io/flotilla/hello:1',
    layer: [...busyboxRootfs(), script('serve.sh', SERVE), script('handler.sh', HANDLER)],
    entrypoint: ['/bin/sh', '/serve.sh'],
    exposedPorts: [8080],
  };
}
