// Runs the Electron main bundle (out/main/index.js) under plain Node with the stand-in `electron`
// module (fake-electron/), from a copy of the bundle outside the source tree: a file the app needs
// but that only the sources have fails here as it would in a package. Bridge calls go over the
// ipcMain handler the app registers, as the window's would.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import type { CallName, CallReq, CallRes, IpcReply } from '../../../main/bridge/contract';
import { IPC_CALL } from '../../../main/bridge/contract';
import { pollUntil } from '../../../main/protocol/poll';

const ROOT = path.resolve(__dirname, '../../..');
const REGISTER = path.join(__dirname, 'fake-electron', 'register.js');

export type FakeElectronMessage =
  | { type: 'lock'; name: string; userData: string }
  | { type: 'window'; file: string; preload: string }
  | { type: 'dialog'; opts: { title?: string; message?: string; detail?: string; buttons?: string[] } }
  | { type: 'relaunch'; args: string[] }
  | { type: 'exit'; code: number }
  | { type: 'send'; channel: string; args: unknown[] }
  | { type: 'result'; id: number; result: IpcReply };

/** A copy of out/ (main, preload, renderer, assets, agent; `withImages` false leaves out the shipped images) in dir/app/out. */
export function copyBundle(dir: string, withImages: boolean): string {
  const out = path.join(dir, 'app', 'out');
  for (const part of ['main', 'preload', 'renderer', 'assets']) {
    if (!fs.existsSync(path.join(ROOT, 'out', part))) throw new Error(`out/${part} is missing: run npm run build`);
    fs.cpSync(path.join(ROOT, 'out', part), path.join(out, part), { recursive: true });
  }
  fs.mkdirSync(path.join(out, 'agent'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'out/agent/agent.js'), path.join(out, 'agent/agent.js'));
  if (withImages) fs.cpSync(path.join(ROOT, 'out/agent/images'), path.join(out, 'agent/images'), { recursive: true });
  // The bundle's externals (better-sqlite3, ssh2, …) resolve as in a package: node_modules beside out/.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'app', 'node_modules'));
  return out;
}

export class ElectronMainProcess {
  readonly messages: FakeElectronMessage[] = [];
  output = '';
  readonly exited: Promise<number>;
  private readonly child: ChildProcess;
  private id = 0;

  constructor(out: string, env: NodeJS.ProcessEnv, args: string[] = []) {
    this.child = fork(path.join(out, 'main/index.js'), args, {
      cwd: path.dirname(out),
      execArgv: ['--require', REGISTER],
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.on('message', (m: FakeElectronMessage) => this.messages.push(m));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code ?? -1)));
  }

  message<T extends FakeElectronMessage['type']>(type: T, timeoutMs: number): Promise<Extract<FakeElectronMessage, { type: T }>> {
    return pollUntil(() => {
      if (this.child.exitCode !== null && !this.messages.some((m) => m.type === type)) throw new Error(`the app exited: ${this.output}`);
      return this.messages.find((m): m is Extract<FakeElectronMessage, { type: T }> => m.type === type);
    }, timeoutMs, `a ${type} from the app`, 20);
  }

  /** The main process's answer as IPC carries it (a value kept encoded comes as JSON text). */
  async reply<K extends CallName>(name: K, req: CallReq<K>): Promise<IpcReply> {
    const id = ++this.id;
    this.child.send({ type: 'call', id, channel: IPC_CALL, args: [name, req] });
    const m = await pollUntil(() => this.messages.find((x): x is Extract<FakeElectronMessage, { type: 'result' }> => x.type === 'result' && x.id === id), 30_000, `the answer to ${name}`, 10);
    return m.result;
  }

  /** The call's value, as the page's transport makes it (parsing a value sent encoded). */
  async call<K extends CallName>(name: K, req: CallReq<K>): Promise<CallRes<K>> {
    const r = await this.reply(name, req);
    if ('encoded' in r) return JSON.parse(r.encoded) as CallRes<K>;
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as CallRes<K>;
  }

  /** Quits as the app menu would; resolves with the exit code. */
  quit(): Promise<number> {
    if (this.child.connected) this.child.send({ type: 'quit' });
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-electron-'));
}
