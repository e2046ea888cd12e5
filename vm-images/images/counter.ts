// docker.io/flotilla/counter:1 — each HTTP request on :8080 increments a counter kept in /tmp/count and shows it.
import { busyboxRootfs, script } from './busybox-rootfs';
import type { ImageSpec } from './oci';

const SERVE = `#!/bin/sh
port="\${PORT:-8080}"
echo "counter: $(hostname) listening on :$port"
nc -ll -p "$port" -e /handler.sh &
trap 'kill $!; exit 0' TERM INT
wait
`;

const HANDLER = `#!/bin/sh
read -r method path version
while read -r line; do
  [ -z "$(printf '%s' "$line" | tr -d '\\r')" ] && break
done
n=$(( $(cat /tmp/count 2>/dev/null || echo 0) + 1 ))
echo "$n" > /tmp/count
body="count $n from $(hostname)
"
printf 'HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: %s\\r\\nConnection: close\\r\\n\\r\\n%s' "\${#body}" "$body"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $method $path count=$n" > /proc/1/fd/1
`;

export function counterImage(): ImageSpec {
  return {
    ref: 'docker.io/flotilla/counter:1',
    layer: [...busyboxRootfs(), script('serve.sh', SERVE), script('handler.sh', HANDLER)],
    entrypoint: ['/bin/sh', '/serve.sh'],
    exposedPorts: [8080],
  };
}
