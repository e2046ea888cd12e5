// The registry settings in force: <data-dir>/registries.yaml (watched; a malformed file is reported with its line and
// the previous settings kept) and `--insecure-registry` hosts, plus the built-in registry's port. filesFor() is what a
// node gets (node-files.ts); onChange listeners (the node manager) push a changed set to every node.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileSpec } from '../bootstrap';
import { registryNodeFiles } from './node-files';
import { EMPTY_REGISTRIES, parseRegistriesYaml, RegistriesFileError, type RegistriesYaml } from './settings';

export const REGISTRIES_FILE = 'registries.yaml';

export interface RegistrySettingsOptions {
  dataDir: string;
  insecure?: readonly string[];
  /** The built-in registry's port (absent: none). */
  builtinPort?: number;
  log?: (line: string) => void;
  /** Wait this long after a change before reading the file (editors write in steps), ms. */
  debounceMs?: number;
}

export class RegistrySettings {
  readonly file: string;
  private current: RegistriesYaml = EMPTY_REGISTRIES;
  /** The last load's error (the file's name and line), cleared by a good load. */
  lastError?: string;
  /** Bumped by every load that changed the settings in force. */
  generation = 0;
  private readonly listeners = new Set<() => void>();
  private watcher?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;
  private lastText?: string;

  constructor(private readonly o: RegistrySettingsOptions) {
    this.file = path.join(o.dataDir, REGISTRIES_FILE);
  }

  get settings(): RegistriesYaml {
    return this.current;
  }

  get builtinPort(): number | undefined {
    return this.o.builtinPort;
  }

  /** Reads the file (absent: no settings). On an error keeps the settings in force and returns false. */
  load(): boolean {
    let text = '';
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return this.failed(`${this.file}: ${(e as Error).message}`);
    }
    if (text === this.lastText && !this.lastError) return true;
    try {
      const next = parseRegistriesYaml(text, this.file);
      // Checks the certificate files it names can be read, before anything takes it.
      registryNodeFiles({ settings: next, insecure: this.o.insecure ?? [], baseDir: this.o.dataDir });
      this.current = next;
    } catch (e) {
      if (e instanceof RegistriesFileError) return this.failed(`${e.message.startsWith(this.file) ? '' : `${this.file}: `}${e.message}`);
      throw e;
    }
    const changed = text !== this.lastText;
    this.lastText = text;
    if (this.lastError) this.o.log?.(`${this.file}: loaded again (the error is fixed)`);
    this.lastError = undefined;
    if (changed) this.generation += 1;
    return true;
  }

  private failed(message: string): false {
    this.lastError = `${message} (the previous registry settings stay in force)`;
    this.o.log?.(this.lastError);
    return false;
  }

  /** The files a node that reaches the host at hostAddress should have (no built-in mapping without an address). */
  filesFor(hostAddress: string | undefined): FileSpec[] {
    const port = this.o.builtinPort;
    return registryNodeFiles({
      settings: this.current, insecure: this.o.insecure ?? [], baseDir: this.o.dataDir,
      ...(port && hostAddress ? { builtin: { port, hostAddress } } : {}),
    });
  }

  /** Calls fn after each load that changed the settings. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Loads now and whenever the file changes; returns the stopper. */
  watch(): () => void {
    this.load();
    // The directory, not the file: the file may not exist yet, and editors replace it by renaming.
    this.watcher = fs.watch(this.o.dataDir, (_ev, name) => {
      if (name !== REGISTRIES_FILE) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        const before = this.generation;
        if (this.load() && this.generation !== before) for (const l of this.listeners) l();
      }, this.o.debounceMs ?? 200);
    });
    this.watcher.on('error', (e) => this.o.log?.(`watching ${this.file}: ${e.message}`));
    return () => this.stop();
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }
}
