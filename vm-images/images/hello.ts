// docker.io/flotilla/hello:1 — answers every HTTP request on :8080 with its pod name and IP, logs one line per request.
import { httpApp } from './busybox-rootfs';
import type { ImageSpec } from './oci';
import type { Toolchain } from './platforms';

const RESPOND = `body="Hello from $SERVE_HOST ($SERVE_IP)
"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $method $path 200" > /proc/1/fd/1`;

export function helloImage(tc: Toolchain): ImageSpec {
  return {
    ref: 'docker.io/flotilla/hello:1',
    layer: httpApp(tc, 'hello', RESPOND),
    entrypoint: ['/bin/sh', '/serve.sh'],
    exposedPorts: [8080],
  };
}
