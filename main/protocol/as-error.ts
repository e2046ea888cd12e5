// A thrown value as an Error: what a catch receives is `unknown` (a library may throw a string or a plain object).

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
