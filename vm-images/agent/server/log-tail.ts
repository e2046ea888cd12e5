// Where the last N log entries of a CRI log file begin, found by reading backwards from the end
// (so `--tail` on a large log reads only its end). An entry ends with an F line; P lines belong to the next F.
import type { FileHandle } from 'node:fs/promises';
import { parseCriLine } from './cri-log';

const CHUNK = 64 * 1024;

/** Byte offset of the first of the last `n` entries (0 when the file has no more than n). */
export async function tailOffset(fh: FileHandle, size: number, n: number): Promise<number> {
  if (n <= 0) return size;
  let pos = size;
  let buf = Buffer.alloc(0);
  for (;;) {
    const len = Math.min(CHUNK, pos);
    if (len > 0) {
      const chunk = Buffer.alloc(len);
      const { bytesRead } = await fh.read(chunk, 0, len, pos - len);
      pos -= len;
      buf = Buffer.concat([chunk.subarray(0, bytesRead), buf]);
    }
    // Scan complete lines from the end; the first line of buf is complete only at the start of the file.
    let entries = 0;
    let end = buf.length;
    if (end > 0 && buf[end - 1] !== 0x0a) end = buf.lastIndexOf(0x0a, end - 1) + 1; // an unfinished last line is not an entry yet
    while (end > 0) {
      const start = buf.lastIndexOf(0x0a, end - 2) + 1;
      if (start === 0 && pos > 0) break; // may be cut: read more
      const line = parseCriLine(buf.subarray(start, end - 1).toString('utf8'));
      if (line && !line.partial) {
        entries++;
        if (entries > n) return pos + end; // just after the (n+1)-th entry from the end
      }
      end = start;
    }
    if (pos === 0) return 0;
  }
}
