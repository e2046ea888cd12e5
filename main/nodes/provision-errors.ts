// Which provisioning failures are worth another attempt. Transient: timeouts and dropped or refused
// connections (a machine slow to boot under load, an sshd not answering yet). Permanent: everything
// else — a provider that cannot run here, a spec it refuses, a missing agent bundle, an agent that
// crashes — fails at once, since trying again would fail the same way.

/** A failure that retrying cannot fix. */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

/**
 * A permanent failure with a machine-readable reason (CamelCase, as Kubernetes' condition and event
 * reasons), which the Machine's Ready condition and the Warning event carry instead of a generic "Failed".
 */
export class ReasonedError extends PermanentError {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'ReasonedError';
  }
}

/** A failure that may well not happen on the next attempt (a deadline passed). */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}

const TRANSIENT_CODES = new Set(['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED']);
const TRANSIENT_TEXT = /timed out|timeout|time out|did not become Ready within|connection (?:lost|reset|refused)|socket hang up|ECONNRESET|ECONNREFUSED|EHOSTUNREACH|ETIMEDOUT/i;

export function isTransient(e: unknown): boolean {
  if (e instanceof PermanentError) return false;
  if (e instanceof TransientError) return true;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  return TRANSIENT_TEXT.test(e instanceof Error ? e.message : String(e));
}
