// A SPDY/3.1 session over any byte stream, either role: streams are Duplexes (DATA frames, FIN = end,
// RST_STREAM = destroy). No flow control is enforced (the Kubernetes peers, spdystream, do not rely on it).
// PINGs from the peer are echoed; frames are handled strictly in order (header blocks inflate asynchronously).
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import {
  FrameParser, RST_CANCEL, RST_PROTOCOL_ERROR, encodeData, encodeGoAway, encodePing, encodeRstStream, encodeSynReply,
  encodeSynStream, type Frame,
} from './frames';
import { HeaderDeflater, HeaderInflater, decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from './header-block';

export type SpdyRole = 'client' | 'server';

export class SpdyStream extends Duplex {
  private localFin = false;
  private remoteFin = false;
  private reset = false;
  /** The peer's reply headers (client-opened streams), set once SYN_REPLY arrives. */
  replyHeaders: SpdyHeaders | undefined;

  constructor(private readonly session: SpdySession, readonly id: number, readonly headers: SpdyHeaders) {
    super({ allowHalfOpen: true });
  }

  /** Server side: accepts a peer-opened stream. */
  reply(headers: SpdyHeaders = {}, fin = false): void {
    this.session.sendFrames([encodeSynReply(this.id, this.session.compress(headers), fin)]);
    if (fin) this.localFin = true;
  }

  /** Aborts the stream with RST_STREAM (default CANCEL). */
  resetStream(status = RST_CANCEL): void {
    if (this.reset) return;
    this.reset = true;
    this.session.sendFrames([encodeRstStream(this.id, status)]);
    this.destroy();
  }

  get wasReset(): boolean { return this.reset; }

  override _read(): void { /* data is pushed as frames arrive */ }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.reset) { cb(new Error('stream was reset')); return; }
    this.session.sendFrames(encodeData(this.id, chunk, false), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.reset && !this.localFin) this.session.sendFrames(encodeData(this.id, Buffer.alloc(0), true));
    this.localFin = true;
    this.maybeDone();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.reset && !(this.localFin && this.remoteFin) && !this.session.closed) {
      this.reset = true;
      this.session.sendFrames([encodeRstStream(this.id, RST_CANCEL)]);
    }
    this.session.forget(this.id);
    cb(err);
  }

  /** @internal frames from the session */
  onData(data: Buffer, fin: boolean): void {
    if (data.length) this.push(data);
    if (fin) this.onFin();
  }

  /** @internal */
  onFin(): void {
    if (this.remoteFin) return;
    this.remoteFin = true;
    this.push(null);
    this.maybeDone();
  }

  /**
   * @internal the peer reset the stream. What it sent before stays readable, then the stream ends and goes: the
   * runtime's streaming server resets every stream right after an exec's output and status (apimachinery's
   * httpstream/spdy Close), often in the same read as the output. Nothing more can be written.
   */
  onReset(status: number): void {
    this.reset = true;
    this.emit('reset', status);
    this.localFin = true;
    if (!this.remoteFin) { this.remoteFin = true; this.push(null); }
    if (this.readableEnded || this.readableLength === 0 && this.listenerCount('data') === 0) this.destroy();
    else this.once('end', () => this.destroy());
  }

  /** @internal the connection ended: streams the peer finished keep their unread data. */
  onSessionEnd(): void {
    // A peer may close the connection without FINs (spdystream does after the exec status): what it sent
    // is still read to the end, and nothing more can be written.
    if (!this.remoteFin) { this.remoteFin = true; this.push(null); }
    this.localFin = true;
    if (!this.writableEnded) this.end();
  }

  private maybeDone(): void {
    if (this.localFin && this.remoteFin) this.session.forget(this.id);
  }
}

export interface SpdySessionEvents {
  stream: (stream: SpdyStream) => void;
  close: () => void;
  error: (err: Error) => void;
}

export class SpdySession extends EventEmitter {
  private readonly parser = new FrameParser();
  private readonly deflater = new HeaderDeflater();
  private readonly inflater = new HeaderInflater();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly pendingReplies = new Map<number, { resolve: (s: SpdyStream) => void; reject: (e: Error) => void }>();
  private nextId: number;
  private queue: Promise<void> = Promise.resolve();
  closed = false;
  private peerEnded = false;

  constructor(private readonly io: Duplex, readonly role: SpdyRole, head?: Buffer) {
    super();
    this.nextId = role === 'client' ? 1 : 2;
    io.on('data', (chunk: Buffer) => this.receive(chunk));
    // Frames already received are handled before the session ends. Once the peer has closed its side,
    // nothing more is written: a write to a closed TCP peer draws a reset, which can discard received data.
    const ended = (): void => { this.peerEnded = true; this.queue = this.queue.then(() => this.shutdown()); };
    io.on('end', ended);
    io.on('close', ended);
    io.on('error', (e: Error) => { this.emit('error', e); ended(); });
    if (head?.length) this.receive(head);
  }

  override on<E extends keyof SpdySessionEvents>(event: E, listener: SpdySessionEvents[E]): this {
    return super.on(event, listener);
  }

  compress(headers: SpdyHeaders): Buffer {
    return this.deflater.compress(encodeHeaderBlock(headers));
  }

  /** Opens a stream and waits for the peer's SYN_REPLY (or its RST_STREAM). */
  openStream(headers: SpdyHeaders, opts: { fin?: boolean } = {}): Promise<SpdyStream> {
    if (this.closed) return Promise.reject(new Error('SPDY session closed'));
    const id = this.nextId;
    this.nextId += 2;
    const stream = new SpdyStream(this, id, headers);
    this.streams.set(id, stream);
    return new Promise<SpdyStream>((resolve, reject) => {
      this.pendingReplies.set(id, { resolve, reject });
      this.sendFrames([encodeSynStream(id, this.compress(headers), { fin: opts.fin })]);
      if (opts.fin) stream.end();
    });
  }

  sendFrames(frames: Buffer[], cb?: (err?: Error | null) => void): void {
    // After the session ended, writes go nowhere (the streams have ended or been reset).
    if (this.closed || this.peerEnded || this.io.destroyed) { cb?.(); return; }
    let ok = true;
    for (const f of frames) ok = this.io.write(f) && ok;
    if (!cb) return;
    if (ok) cb();
    else this.io.once('drain', () => cb());
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  get streamCount(): number { return this.streams.size; }

  /** Sends GOAWAY and ends the connection; open streams end (what the peer sent stays readable). */
  close(): void {
    if (this.closed) return;
    this.sendFrames([encodeGoAway(this.role === 'server' ? this.lastPeerId : 0)]);
    this.endIo();
    this.shutdown(false);
  }

  private lastPeerId = 0;

  private receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch (e) {
      this.fail(e);
      return;
    }
    for (const f of frames) this.queue = this.queue.then(() => this.handle(f)).catch((e: unknown) => this.fail(e));
  }

  private fail(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    if (!this.closed) this.emit('error', err);
    this.sendFrames([encodeGoAway(this.lastPeerId, RST_PROTOCOL_ERROR)]);
    this.endIo();
    this.shutdown(false);
  }

  /** Ends our side so that queued frames still go out; torn down when the peer closes or after a grace period. */
  private endIo(): void {
    if (!this.io.writableEnded) this.io.end();
    setTimeout(() => { if (!this.io.destroyed) this.io.destroy(); }, 5000).unref();
  }

  private async handle(f: Frame): Promise<void> {
    switch (f.type) {
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (s) s.onData(f.data, f.fin);
        return;
      }
      case 'syn_stream': {
        const headers = decodeHeaderBlock(await this.inflater.inflate(f.headerBlock));
        if (this.closed) return;
        this.lastPeerId = Math.max(this.lastPeerId, f.streamId);
        const s = new SpdyStream(this, f.streamId, headers);
        this.streams.set(f.streamId, s);
        this.emit('stream', s);
        if (f.fin) s.onFin();
        return;
      }
      case 'syn_reply': {
        const headers = decodeHeaderBlock(await this.inflater.inflate(f.headerBlock));
        const s = this.streams.get(f.streamId);
        const pending = this.pendingReplies.get(f.streamId);
        this.pendingReplies.delete(f.streamId);
        if (s) {
          s.replyHeaders = headers;
          pending?.resolve(s);
          if (f.fin) s.onFin();
        }
        return;
      }
      case 'headers':
        await this.inflater.inflate(f.headerBlock);
        if (f.fin) this.streams.get(f.streamId)?.onFin();
        return;
      case 'rst_stream': {
        const pending = this.pendingReplies.get(f.streamId);
        this.pendingReplies.delete(f.streamId);
        pending?.reject(new Error(`stream ${f.streamId} refused (RST_STREAM status ${f.status})`));
        this.streams.get(f.streamId)?.onReset(f.status);
        this.streams.delete(f.streamId);
        return;
      }
      case 'ping':
        // Echo the peer's pings (clients use odd ids, servers even); ours coming back need nothing.
        if ((f.id % 2 === 1) === (this.role === 'server')) this.sendFrames([encodePing(f.id)]);
        return;
      case 'goaway':
        this.emit('goaway', f.lastGoodStreamId);
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE and unknown control frames need no answer
    }
  }

  private shutdown(destroyIo = true): void {
    if (this.closed) return;
    this.closed = true;
    this.inflater.close();
    for (const [, p] of this.pendingReplies) p.reject(new Error('SPDY session closed'));
    this.pendingReplies.clear();
    for (const s of [...this.streams.values()]) s.onSessionEnd();
    this.streams.clear();
    if (destroyIo && !this.io.destroyed) this.io.destroy();
    this.emit('close');
  }
}
