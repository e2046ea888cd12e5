// The watcher side of `flotilla bench api`, run as its own process (so that delivery is measured
// across processes): N watches from a resourceVersion; prints `ready` once every stream has seen the
// probe object, then, when each watcher has seen every expected object, one JSON line of latencies
// (from the send stamp the creator put in an annotation).
//   node --import tsx main/cli/bench-api-watcher.ts KUBECONFIG NAMESPACE WATCHERS EXPECTED RESOURCE_VERSION
import { HttpClient } from '../client/http';
import { readKubeconfig } from '../apiserver/kubeconfig';
import type { ConfigMap } from '../api/types';
import { R } from '../client/refs';
import { nowMs, percentile } from './bench-report';

export const WATCHER_SCRIPT = __filename;
export const READY_PROBE = 'ready-probe';
export const SENT_ANNOTATION = 'bench.flotilla.dev/sent';

export interface WatchResult {
  p50: number;
  p99: number;
  n: number;
}

async function watch(kubeconfig: string, ns: string, watchers: number, expected: number, rv: string): Promise<void> {
  const kc = readKubeconfig(kubeconfig);
  const client = new HttpClient({ server: kc.server, token: kc.token, caCertPem: kc.caCertPem });
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const latencies: number[] = [];
  let done = 0;
  let established = 0;
  const handles = Array.from({ length: watchers }, () => {
    let seen = 0;
    return client.watch<ConfigMap>({ ...R.configmaps }, { namespace: ns, resourceVersion: rv }, (ev) => {
      if (ev.type !== 'ADDED') return;
      if (ev.object.metadata?.name === READY_PROBE) {
        // Every watcher has seen the probe: all streams are established.
        if (++established === watchers) process.stdout.write('ready\n');
        return;
      }
      const sent = Number(ev.object.metadata?.annotations?.[SENT_ANNOTATION]);
      latencies.push(nowMs() - sent);
      if (++seen === expected && ++done === watchers) finish();
    }, (err) => {
      if (err) process.stderr.write(`watch ended: ${err.message}\n`);
    });
  });
  function finish() {
    for (const h of handles) h.stop();
    const result: WatchResult = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), n: latencies.length };
    process.stdout.write(JSON.stringify(result) + '\n');
    client.close();
    finished();
  }
  await allDone;
}

if (require.main === module) {
  const [kubeconfig, ns, watchers, expected, rv] = process.argv.slice(2);
  watch(kubeconfig, ns, Number(watchers), Number(expected), rv).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`bench api watcher: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
