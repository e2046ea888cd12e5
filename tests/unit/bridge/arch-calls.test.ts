// The architecture view's bridge calls refuse bad requests with a clear message before sampling anything.
import { describe, expect, it } from 'vitest';
import { architectureCalls } from '../../../main/bridge/arch/calls';
import type { ApiClient } from '../../../main/client/types';

function calls(tracked: Map<string, () => void>) {
  return architectureCalls({
    // Never reached: every request here is refused first.
    sources: { client: {} as ApiClient, api: { url: 'https://127.0.0.1:1' } },
    emit: () => undefined,
    nextId: (p) => `${p}-1`,
    track: (id, d) => tracked.set(id, d),
    untrack: (id) => { tracked.get(id)?.(); tracked.delete(id); },
  });
}

describe('the architecture calls', () => {
  it.each([
    [{ intervalMs: 10 }, 'intervalMs must be a number of at least 500'],
    [{ intervalMs: 'fast' }, 'intervalMs must be a number of at least 500'],
    ['often', 'the request must be an object or null'],
  ])('refuses subscribeArchitecture(%j)', async (req, message) => {
    const tracked = new Map<string, () => void>();
    await expect(calls(tracked).subscribeArchitecture(req as never)).rejects.toThrow(message);
    expect(tracked.size).toBe(0);
  });

  it('refuses an unsubscribe without an id', async () => {
    await expect(calls(new Map()).unsubscribeArchitecture({ subscriptionId: '' })).rejects.toThrow('subscriptionId must be a non-empty string');
  });
});
