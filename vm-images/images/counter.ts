// docker.io/flotilla/counter:1 — each HTTP request on :8080 increments a counter kept in /tmp/count and shows it.
import { httpApp } from './busybox-rootfs';
import type { ImageSpec } from './oci';
import type { Toolchain } from './platforms';

const RESPOND = `n=0
[ -f /tmp/count ] && read -r n < /tmp/count
n=$(( n + 1 ))
echo "$n" > /tmp/count
body="count $n from $SERVE_HOST
"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $method $path count=$n" > /proc/1/fd/1`;

export function counterImage(tc: Toolchain): ImageSpec {
  return {
    ref: 'docker.io/flotilla/counter:1',
    layer: httpApp(tc, 'counter', RESPOND),
    entrypoint: ['/bin/sh', '/serve.sh'],
    exposedPorts: [8080],
  };
}
