// What a shell session is to the bridge, whatever runs it (a pod's exec, a node's SSH channel): bytes in, a size,
// flow control, close; bytes out and one end through the sink.
import type { ShellEnd } from './contract';

export interface TerminalStream {
  write(data: Buffer): void;
  resize(cols: number, rows: number): void;
  /** Stops reading output until resume(): the terminal is behind. */
  pause(): void;
  resume(): void;
  /** Ends the session; the sink hears no end after this. */
  close(): void;
}

export interface TerminalSink {
  data(chunk: Buffer): void;
  /** Called once, when the session ended on its own or failed. */
  end(end: ShellEnd): void;
}
