// The one way to wait for a condition, on either side of the node boundary (node manager, sandbox
// host code, the agent, benchmarks, tests): poll with a deadline, never sleep as synchronisation.

/** Thrown by a poll function to stop at once with this error: a terminal state (a failed machine, an exited process), not "not yet". */
export class PollFailure extends Error {
  override name = 'PollFailure';
}

/**
 * Polls fn until it returns a value other than undefined/false; throws `what` at the deadline. An error
 * thrown by fn counts as "not yet" (its message is kept for the timeout error), except a PollFailure.
 */
export async function pollUntil<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, what: string, intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      if (e instanceof PollFailure) throw e;
      last = e;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? last.message : String(last);
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last ? ` (${why})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
