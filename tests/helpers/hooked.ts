// A fixture that lives only while tests run, started and stopped by vitest hooks (per test or per file), and a
// handle to it usable from module scope: every member read reaches the fixture running now.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export interface Lifecycle<T> {
  start: () => Promise<T>;
  stop: (fixture: T) => Promise<void>;
  /** 'each': a fresh fixture for every test; 'all': one for all tests of the file. */
  per: 'each' | 'all';
  /** What the error says when the handle is used outside a test, e.g. "the control plane". */
  what: string;
}

/** Registers the hooks and returns the handle. The fixture's members must not use `this` (they are handed out unbound). */
export function hooked<T extends object>(l: Lifecycle<T>): T {
  let current: T | undefined;
  const [before, after] = l.per === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    current = await l.start();
  });
  after(async () => {
    if (current) await l.stop(current);
    current = undefined;
  });
  return new Proxy({} as T, {
    get: (_t, prop) => {
      if (!current) throw new Error(`${l.what} runs only inside the tests of its file`);
      return (current as Record<string | symbol, unknown>)[prop];
    },
  });
}
