// A shell in a pod's container: /bin/bash, else /bin/sh (kubectl debug's way), each tried through pods/exec. A shell
// that is missing fails at once with the runtime's "executable file not found" / "no such file or directory" (and one
// that ends at once without a word is passed over too); one that printed something or still runs after a moment has
// started. Keystrokes typed meanwhile are held and sent to it.
import type { BridgeError, ShellEnd } from './contract';
import type { ApiEndpoint } from './api-http';
import { BridgeFailure } from './errors';
import { openPodExec } from './pod-exec';
import type { TerminalSink, TerminalStream } from './terminal';

export const SHELLS = ['/bin/bash', '/bin/sh'];
/** A shell still running this long without output has started (it prints no prompt). */
export const STARTED_AFTER_MS = 1500;

export const NO_SHELL_REASON = 'NoShell';

/** The runtime could not find the program (containerd/runc's words, also through a remote API server). */
export function isMissingProgram(e: BridgeError | undefined): boolean {
  return !!e && /executable file not found|no such file or directory/i.test(e.message);
}

export interface PodShellTarget {
  namespace: string;
  pod: string;
  container?: string;
}

type Attempt = { started: true; stream: TerminalStream } | { started: false; end: ShellEnd };

/** One shell: resolves when it started (sink wired to `sink` from then on) or ended before it did. */
async function attempt(api: ApiEndpoint, t: PodShellTarget, shell: string, size: { cols: number; rows: number }, sink: TerminalSink): Promise<Attempt> {
  let settle: ((a: Attempt) => void) | undefined;
  const settled = new Promise<Attempt>((resolve) => { settle = resolve; });
  let started = false;
  // Set once the exec is open; the sink may be called before `await` returns here.
  const at: { stream?: TerminalStream; timer?: NodeJS.Timeout } = {};
  const start = (): void => {
    if (started || !at.stream) return;
    started = true;
    clearTimeout(at.timer);
    settle?.({ started: true, stream: at.stream });
  };
  const early: Buffer[] = [];
  at.stream = await openPodExec(api, { ...t, command: [shell] }, size, {
    data: (chunk) => {
      if (started) { sink.data(chunk); return; }
      early.push(chunk);
      start();
      if (started) for (const c of early.splice(0)) sink.data(c);
    },
    end: (e) => {
      if (started) { sink.end(e); return; }
      clearTimeout(at.timer);
      // Missing, or ended at once without a word (whatever the runtime said): not a shell to use; the next one is tried.
      if (isMissingProgram(e.error) || early.length === 0) { settle?.({ started: false, end: e }); return; }
      // It ran, said something and ended: that is this session's end.
      started = true;
      settle?.({ started: true, stream: at.stream ?? closedStream() });
      queueMicrotask(() => sink.end(e));
    },
  });
  if (early.length) {
    start();
    for (const c of early.splice(0)) sink.data(c);
  }
  at.timer = setTimeout(start, STARTED_AFTER_MS);
  return settled;
}

function closedStream(): TerminalStream {
  const nothing = (): void => undefined;
  return { write: nothing, resize: nothing, pause: nothing, resume: nothing, close: nothing };
}

/** Starts the first shell the container has; rejects with the API's error, or NoShell when it has none. */
export async function openPodShell(
  api: ApiEndpoint, t: PodShellTarget, size: { cols: number; rows: number }, sink: TerminalSink,
): Promise<{ stream: TerminalStream; command: string }> {
  let failure: BridgeError | undefined;
  for (const shell of SHELLS) {
    const a = await attempt(api, t, shell, size, sink);
    if (a.started) return { stream: a.stream, command: shell };
    if (a.end.error && !isMissingProgram(a.end.error)) failure ??= a.end.error;
  }
  // A shell that failed for another reason than being missing says why (the pod's container not running, …).
  if (failure) throw new BridgeFailure(failure.code, failure.reason, failure.message);
  throw new BridgeFailure(404, NO_SHELL_REASON, `This container has no shell (tried ${SHELLS.join(', ')})`);
}
