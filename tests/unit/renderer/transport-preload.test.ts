// The page's transport over Electron's preload: a value the main process sent encoded (a big list, as JSON text) is
// parsed into the call's value; results and errors pass as they are.
import { describe, expect, it } from 'vitest';
import { alwaysOpen } from '../../../renderer/src/bridge/transport';
import type { IpcReply, PreloadApi } from '../../../main/bridge/contract';

function preload(reply: IpcReply): PreloadApi {
  return { call: () => Promise.resolve(reply), on: () => () => undefined };
}

describe('alwaysOpen (the preload transport)', () => {
  it('parses a value sent encoded', async () => {
    const t = alwaysOpen(preload({ ok: true, encoded: '{"items":[{"metadata":{"name":"web-1"}}],"resourceVersion":"42"}' }));
    expect(await t.call('list', { kind: 'pods' })).toEqual({ ok: true, value: { items: [{ metadata: { name: 'web-1' } }], resourceVersion: '42' } });
  });

  it('passes a value and an error as they are', async () => {
    expect(await alwaysOpen(preload({ ok: true, value: { items: [], resourceVersion: '1' } })).call('list', { kind: 'nodes' }))
      .toEqual({ ok: true, value: { items: [], resourceVersion: '1' } });
    const error = { code: 404, reason: 'NotFound', message: 'no bridge call "x"' };
    expect(await alwaysOpen(preload({ ok: false, error })).call('list', { kind: 'nodes' })).toEqual({ ok: false, error });
    expect(alwaysOpen(preload({ ok: true, value: null })).status).toBe('open');
  });
});
