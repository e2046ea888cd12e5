// The QEMU node image's recipe: a small Debian root file system from Debian's packages only
// (mmdebstrap --variant=minbase from the host's Debian mirror), the shared node packages
// (guest-setup.ts), Debian's kernel booted directly, the first-boot files (guest-files.ts) and the
// host's own Node.js binary for the agent (Debian 12's nodejs is 18; the agent needs ≥ 20, and the
// host's binary links only against glibc, which bookworm has). Its hash names the cached image.
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { NODE_DISABLED_UNITS, NODE_PACKAGES } from '../guest-setup';
import { guestFiles, setupFiles, type GuestFile } from './guest-files';

/** Bumped when the build steps change in a way the recipe's fields do not show. */
export const IMAGE_FORMAT = 1;

/** What a node's OS needs beyond the shared runtime packages: a kernel, an init, sshd and the tools bootstrap and the agent call. */
export const SYSTEM_PACKAGES = [
  'linux-image-amd64', 'systemd-sysv', 'udev', 'dbus', 'openssh-server', 'iproute2', 'conntrack', 'ca-certificates',
  'e2fsprogs', 'kmod', 'procps',
] as const;

export interface NodeBinaryId { path: string; version: string; size: number; mtimeMs: number }

export interface ImageRecipe {
  format: number;
  suite: string;
  /** One-line apt sources ("deb URI SUITE COMPONENTS"), handed to mmdebstrap. */
  sources: string[];
  packages: string[];
  disabledUnits: string[];
  files: GuestFile[];
  /** Files in place before the packages are installed (the initramfs settings). */
  setupFiles: GuestFile[];
  node: NodeBinaryId;
  /** The root file system's size in MiB (nodes' disks grow it at first boot). */
  rootMiB: number;
}

export interface AptSource { uri: string; suites: string[]; components: string[] }

/**
 * The host's Debian sources from /etc/apt/sources.list and sources.list.d (one-line and deb822
 * forms): only deb entries of Debian's own archive and security archive for the suite family
 * (third-party repositories the image must not depend on are left out).
 */
export function debianSources(files: Array<{ name: string; text: string }>, suite: string): string[] {
  const found: AptSource[] = [];
  for (const f of files) {
    if (f.name.endsWith('.sources')) {
      for (const stanza of f.text.split(/\n\s*\n/)) {
        const field = (k: string): string[] => (new RegExp(`^${k}:\\s*(.*)$`, 'mi').exec(stanza)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
        if (!field('Types').includes('deb') || /^Enabled:\s*no/mi.test(stanza)) continue;
        for (const uri of field('URIs')) found.push({ uri, suites: field('Suites'), components: field('Components') });
      }
    } else {
      for (const line of f.text.split('\n')) {
        const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+(.+)$/.exec(line);
        if (m) found.push({ uri: m[1], suites: [m[2]], components: m[3].trim().split(/\s+/) });
      }
    }
  }
  const out: string[] = [];
  for (const s of found) {
    if (!/\/debian(-security)?\/?$/.test(s.uri)) continue;
    for (const su of s.suites) {
      if (su !== suite && !su.startsWith(`${suite}-`) && !su.startsWith(`${suite}/`)) continue;
      const line = `deb ${s.uri} ${su} ${s.components.includes('main') ? 'main' : s.components.join(' ')}`;
      if (!out.includes(line)) out.push(line);
    }
  }
  return out.length ? out : [`deb http://deb.debian.org/debian ${suite} main`, `deb http://deb.debian.org/debian ${suite}-updates main`, `deb http://deb.debian.org/debian-security ${suite}-security main`];
}

function readAptFiles(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  const add = (p: string): void => { try { out.push({ name: p, text: fs.readFileSync(p, 'utf8') }); } catch { /* absent */ } };
  add('/etc/apt/sources.list');
  try { for (const f of fs.readdirSync('/etc/apt/sources.list.d').sort()) add(`/etc/apt/sources.list.d/${f}`); } catch { /* absent */ }
  return out;
}

/** The host's Debian suite (VERSION_CODENAME of /etc/os-release), bookworm when it does not say. */
export function hostSuite(osRelease = '/etc/os-release'): string {
  try {
    return /^VERSION_CODENAME=(\w+)/m.exec(fs.readFileSync(osRelease, 'utf8'))?.[1] ?? 'bookworm';
  } catch {
    return 'bookworm';
  }
}

export function nodeBinaryId(binary = process.execPath, version = process.version): NodeBinaryId {
  const st = fs.statSync(binary);
  return { path: binary, version, size: st.size, mtimeMs: Math.round(st.mtimeMs) };
}

/** This host's recipe. */
export function hostRecipe(): ImageRecipe {
  const suite = hostSuite();
  return {
    format: IMAGE_FORMAT, suite, sources: debianSources(readAptFiles(), suite),
    packages: [...SYSTEM_PACKAGES, ...NODE_PACKAGES], disabledUnits: [...NODE_DISABLED_UNITS], files: guestFiles(), setupFiles: setupFiles(),
    node: nodeBinaryId(), rootMiB: 2048,
  };
}

/** The recipe's hash (first 16 hex digits of a sha256 over its canonical JSON): the cached image's name. */
export function recipeHash(r: ImageRecipe): string {
  return createHash('sha256').update(JSON.stringify(r)).digest('hex').slice(0, 16);
}

/** The mmdebstrap argv building the root file system into `dir`; `setupDir` holds the recipe's setup files, copied in first. */
export function mmdebstrapArgv(r: ImageRecipe, dir: string, setupDir: string): string[] {
  return ['mmdebstrap', '--variant=minbase', '--mode=root', '--format=directory', `--include=${r.packages.join(',')}`,
    `--setup-hook=sync-in ${setupDir} /`,
    // No fsync per file while unpacking: the directory becomes a file system image afterwards anyway.
    '--aptopt=Acquire::Retries "3"', '--dpkgopt=force-unsafe-io', r.suite, dir, ...r.sources];
}
