// An informer's errors as the agent logs them: while the API server is away every watch retries within a second or so
// (the reachability probe wakes them as soon as it takes connections), and a line per retry per watch buried the log
// (≈ 25 lines every 3 s on a node). The first error of an outage is passed on at once; then at most one every
// `everyMs`, saying how many like it came in between; recovery starts a new outage.

export const ERROR_LOG_EVERY_MS = 30_000;

export interface ErrorThrottle {
  onError: (err: unknown) => void;
  recovered: () => void;
}

export function throttleErrors(pass: (err: unknown) => void, everyMs = ERROR_LOG_EVERY_MS, now: () => number = Date.now): ErrorThrottle {
  let lastPassed: number | undefined;
  let held = 0;
  return {
    onError: (err) => {
      const t = now();
      if (lastPassed !== undefined && t - lastPassed < everyMs) {
        held++;
        return;
      }
      lastPassed = t;
      const more = held;
      held = 0;
      if (!more) {
        pass(err);
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      pass(new Error(`${message} (and ${more} more failed attempt${more === 1 ? '' : 's'} in the last ${Math.round(everyMs / 1000)} s)`, { cause: err }));
    },
    recovered: () => {
      lastPassed = undefined;
      held = 0;
    },
  };
}
