// Where the UI finds kubeconfigs: $KUBECONFIG (its files, in order) or ~/.kube/config, as kubectl
// does, plus the files a person added in the UI — remembered in <data-dir>/ui-kubeconfigs.json;
// an uploaded file's text is kept in <data-dir>/kubeconfigs/ (mode 0600: it holds credentials).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface KubeconfigSources {
  /** The files to read, kubectl's first, then the added ones; no duplicates. */
  files(): string[];
  /** The files a person added (they may be removed again). */
  added(): string[];
  add(file: string): void;
  /** Saves an uploaded kubeconfig's text in the data dir and adds it; returns its path. */
  save(fileName: string, content: string): string;
  remove(file: string): void;
}

export interface SourceOptions {
  /** Where added files are remembered; without it they last as long as the process. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export const MAX_KUBECONFIG_BYTES = 1024 * 1024;

/** kubectl's files: each entry of $KUBECONFIG, or ~/.kube/config. */
export function kubectlFiles(env: NodeJS.ProcessEnv, home: string): string[] {
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter((f) => f !== '');
  return list.length > 0 ? list.map((f) => path.resolve(f)) : [path.join(home, '.kube', 'config')];
}

function safeName(fileName: string): string {
  const base = path.basename(fileName).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return base === '' ? 'kubeconfig' : base;
}

export function kubeconfigSources(o: SourceOptions = {}): KubeconfigSources {
  const env = o.env ?? process.env;
  const home = o.home ?? os.homedir();
  const listFile = o.dataDir ? path.join(o.dataDir, 'ui-kubeconfigs.json') : undefined;
  let memory: string[] = [];
  const read = (): string[] => {
    if (!listFile) return memory;
    try {
      const v = JSON.parse(fs.readFileSync(listFile, 'utf8')) as { files?: unknown };
      return Array.isArray(v.files) ? v.files.filter((f): f is string => typeof f === 'string') : [];
    } catch {
      return [];
    }
  };
  const write = (files: string[]) => {
    memory = files;
    if (listFile) fs.writeFileSync(listFile, JSON.stringify({ files }, null, 2) + '\n', { mode: 0o600 });
  };
  const add = (file: string) => {
    const abs = path.resolve(file);
    const files = read();
    if (!files.includes(abs)) write([...files, abs]);
  };
  return {
    files: () => [...new Set([...kubectlFiles(env, home), ...read()])],
    added: read,
    add,
    save(fileName, content) {
      if (Buffer.byteLength(content) > MAX_KUBECONFIG_BYTES) throw new Error(`${fileName} is larger than 1 MiB: not a kubeconfig`);
      const dir = o.dataDir ? path.join(o.dataDir, 'kubeconfigs') : fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-kubeconfigs-'));
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const base = safeName(fileName);
      let file = path.join(dir, base);
      for (let i = 2; fs.existsSync(file); i++) file = path.join(dir, `${base}-${i}`);
      fs.writeFileSync(file, content, { mode: 0o600 });
      add(file);
      return file;
    },
    remove(file) {
      const abs = path.resolve(file);
      write(read().filter((f) => f !== abs));
      // A file Flotilla saved from an upload goes with it; a person's own file stays where it is.
      if (o.dataDir && path.dirname(abs) === path.join(o.dataDir, 'kubeconfigs')) fs.rmSync(abs, { force: true });
    },
  };
}
