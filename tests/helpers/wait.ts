// Waiting in tests: poll a condition with a deadline (the shared pollUntil), never sleep.
import { pollUntil } from '../../main/protocol/poll';

/** Polls `fn` until it returns a truthy value or the deadline passes (errors count as "not yet"). */
export function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000, intervalMs = 50): Promise<NonNullable<T>> {
  return pollUntil(async () => (await fn()) || undefined, timeoutMs, what, intervalMs);
}
