// What `npm run dist` says when electron-builder cannot download something: electron-builder fetches
// Electron's zip for each target (through @electron/get, cached in ~/.cache/electron) and its packaging
// tools (appimagetool, fpm, … from electron-builder-binaries, cached in ~/.cache/electron-builder) from
// GitHub, both through got (its RequestError carries the URL in options.url), and reports a failure as the
// bare network error ("getaddrinfo ENOTFOUND github.com"). This names the file, where it was fetched from,
// and how to provide it.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface DownloadFailure {
  /** What was being downloaded, in words (e.g. "Electron 41.7.1 for linux-x64"). */
  what: string;
  url?: string;
  /** The raw error's message. */
  cause: string;
}

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED']);
const NETWORK_TEXT = /getaddrinfo|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|dial tcp|no such host|Response code 4\d\d|Response code 5\d\d|status code 40\d/;

interface ErrorShape { message?: unknown; code?: unknown; name?: unknown; options?: { url?: unknown } }

/** What a URL is, for the message. */
export function describeUrl(url: string): string {
  const electron = /electron-v([^/]+?)-([a-z0-9]+)-([a-z0-9]+)\.zip$/.exec(url);
  if (electron) return `Electron ${electron[1]} for ${electron[2]}-${electron[3]}`;
  const tool = /electron-builder-binaries\/releases\/download\/([^/]+)\//.exec(url);
  if (tool) return `electron-builder's packaging tool ${tool[1]}`;
  return url.slice(url.lastIndexOf('/') + 1) || url;
}

/** The download failure an electron-builder error is, or undefined for any other error. */
export function downloadFailure(e: unknown): DownloadFailure | undefined {
  const err = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as ErrorShape;
  const cause = typeof err.message === 'string' ? err.message : String(e);
  const optionUrl = err.options?.url;
  const url = optionUrl instanceof URL ? optionUrl.href : typeof optionUrl === 'string' ? optionUrl : /https?:\/\/[^\s"'\\]+/.exec(cause)?.[0];
  const network = (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) || err.name === 'RequestError' || err.name === 'HTTPError' || NETWORK_TEXT.test(cause);
  if (!network) return undefined;
  return { what: url ? describeUrl(url) : 'a file from github.com (Electron or a packaging tool)', url, cause };
}

/** The message for a download failure: what is missing, from where, and the ways to provide it. */
export function downloadFailureMessage(f: DownloadFailure, env: NodeJS.ProcessEnv = process.env): string {
  const tool = f.url ? /\/releases\/download\/([^/]+)\/([^/]+)$/.exec(f.url) : null;
  const builderCache = env.ELECTRON_BUILDER_CACHE ?? join(homedir(), '.cache', 'electron-builder');
  const where = f.what.startsWith('Electron ')
    ? `put the zip into Electron's download cache ${env.electron_config_cache ?? join(homedir(), '.cache', 'electron')}, or set ELECTRON_MIRROR to a mirror that has it`
    : f.what.startsWith('electron-builder\'s') && tool
      ? `put the file at ${join(builderCache, tool[1] ?? '', tool[2] ?? '')}, or set ELECTRON_BUILDER_BINARIES_MIRROR to a mirror that has it`
      : 'set ELECTRON_MIRROR (Electron) or ELECTRON_BUILDER_BINARIES_MIRROR (packaging tools) to a reachable mirror';
  return [
    `npm run dist: electron-builder could not download ${f.what}${f.url ? ` from ${f.url}` : ''}: ${f.cause}`,
    `  This machine cannot fetch it. To package here, ${where} (https://www.electron.build/tutorials/offline-air-gapped-builds).`,
  ].join('\n');
}
