// process_* figures as every Kubernetes component exports them, read at scrape time only
// (prom-client's default collectors would also start an event-loop monitor that wakes the
// process every 10 ms, which an idle cluster must not pay for).
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

const STARTED = Date.now() / 1000 - process.uptime();

export function processCollectors(registry: Registry): void {
  const registers = [registry];
  new Counter({
    name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.', registers,
    collect() {
      const u = process.cpuUsage();
      this.reset();
      this.inc((u.user + u.system) / 1e6);
    },
  });
  new Gauge({
    name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', registers,
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.', registers,
    collect() {
      this.set(STARTED);
    },
  });
  new Gauge({
    name: 'nodejs_heap_size_used_bytes', help: 'Process heap size used from Node.js in bytes.', registers,
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
}
