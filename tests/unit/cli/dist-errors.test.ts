// `npm run dist`'s messages for downloads electron-builder cannot make, from the shape of the errors it
// throws (got's RequestError with the URL in options.url: Electron's zip and the packaging tools, both
// through @electron/get) and a bare network error; anything else is not a download failure.
import { describe, expect, it } from 'vitest';
import { describeUrl, downloadFailure, downloadFailureMessage } from '../../../scripts/dist-errors';

class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(message: string, readonly code: string, readonly options: { url: URL }) {
    super(message);
  }
}

describe('dist download failures', () => {
  it('names Electron\'s zip, where it was fetched from, and how to provide it', () => {
    const e = new RequestError('getaddrinfo ENOTFOUND github.com', 'ENOTFOUND', { url: new URL('https://github.com/electron/electron/releases/download/v41.7.1/electron-v41.7.1-linux-x64.zip') });
    const f = downloadFailure(e);
    expect(f).toEqual({ what: 'Electron 41.7.1 for linux-x64', url: 'https://github.com/electron/electron/releases/download/v41.7.1/electron-v41.7.1-linux-x64.zip', cause: 'getaddrinfo ENOTFOUND github.com' });
    expect(downloadFailureMessage(f!, { electron_config_cache: '/c/electron' })).toBe(
      'npm run dist: electron-builder could not download Electron 41.7.1 for linux-x64 from https://github.com/electron/electron/releases/download/v41.7.1/electron-v41.7.1-linux-x64.zip: getaddrinfo ENOTFOUND github.com\n'
      + '  This machine cannot fetch it. To package here, put the zip into Electron\'s download cache /c/electron, or set ELECTRON_MIRROR to a mirror that has it'
      + ' (https://www.electron.build/tutorials/offline-air-gapped-builds).');
  });

  it('names a packaging tool and the file its cache would hold', () => {
    const url = 'https://github.com/electron-userland/electron-builder-binaries/releases/download/appimage-12.0.1/appimage-12.0.1.7z';
    const f = downloadFailure(new RequestError('connect ETIMEDOUT 140.82.121.4:443', 'ETIMEDOUT', { url: new URL(url) }));
    expect(f?.what).toBe('electron-builder\'s packaging tool appimage-12.0.1');
    expect(downloadFailureMessage(f!, { ELECTRON_BUILDER_CACHE: '/c/eb' }))
      .toContain('put the file at /c/eb/appimage-12.0.1/appimage-12.0.1.7z, or set ELECTRON_BUILDER_BINARIES_MIRROR to a mirror that has it');
  });

  it('says a download failed when the error names no URL, and leaves other errors alone', () => {
    expect(downloadFailure(Object.assign(new Error('getaddrinfo EAI_AGAIN github.com'), { code: 'EAI_AGAIN' }))?.what).toBe('a file from github.com (Electron or a packaging tool)');
    expect(downloadFailure(new Error('Application entry file "out/main/index.js" does not exist'))).toBeUndefined();
    expect(describeUrl('https://example.com/x/fpm-1.9.3.7z')).toBe('fpm-1.9.3.7z');
  });
});
