// Kubernetes' slowStartBatch: `count` calls of `fn` in batches of 1, 2, 4, … (each batch at once), stopping
// after the first batch with a failure, so that a create that keeps failing does not flood the API.

export interface SlowStartResult {
  /** Calls that were made (the ones of the failed batch included). */
  attempted: number;
  /** The calls of the failed batch that failed; empty when every call succeeded. */
  failures: unknown[];
}

export async function slowStartBatch(count: number, fn: (index: number) => Promise<void>): Promise<SlowStartResult> {
  let done = 0;
  for (let batch = 1; done < count; batch *= 2) {
    const size = Math.min(batch, count - done);
    const start = done;
    const results = await Promise.allSettled(Array.from({ length: size }, (_, i) => fn(start + i)));
    done += size;
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    if (failures.length) return { attempted: done, failures };
  }
  return { attempted: done, failures: [] };
}
