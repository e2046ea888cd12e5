// `flotilla bench NAME`: dispatches to the benchmark of that name.
import type { ParsedArgs } from './args';
import { UsageError } from './args';

const BENCHES: Record<string, () => Promise<(args: ParsedArgs) => Promise<void>>> = {
  api: async () => (await import('./bench-api')).benchApi,
  proxy: async () => (await import('./bench-proxy')).benchProxyCli,
  ui: async () => (await import('./bench-ui')).benchUi,
  scheduler: async () => (await import('./bench-scheduler')).benchScheduler,
  'pod-startup': async () => (await import('./bench-pod-startup')).benchPodStartup,
};

export async function bench(args: ParsedArgs): Promise<void> {
  const name = args.positional[1];
  const load = name ? BENCHES[name] : undefined;
  if (!load) throw new UsageError(`bench needs one of: ${Object.keys(BENCHES).join(', ')}`);
  await (await load())(args);
}
