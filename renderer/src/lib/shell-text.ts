// Pure helpers of the terminal: bytes to and from base64 (the bridge's binary-safe form) and how a session's end reads.
import type { ShellEnd } from '../../../main/bridge/contract';

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  const STEP = 0x8000;
  for (let i = 0; i < bytes.length; i += STEP) s += String.fromCharCode(...bytes.subarray(i, i + STEP));
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** "The shell exited." / "… with code 3." / the server's message. */
export function shellEndText(end: ShellEnd): string {
  if (end.error) return end.error.message;
  if (end.exitCode === undefined || end.exitCode === 0) return 'The shell exited.';
  return `The shell exited with code ${end.exitCode}.`;
}

/** Latin-1 string (xterm's onBinary) to bytes, one per character. */
export function binaryStringToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
