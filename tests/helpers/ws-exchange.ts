// One WebSocket round trip: opens, sends `text`, resolves with the first message back, closes.
import type { WebSocket } from 'ws';

export function wsExchange(ws: WebSocket, text: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    ws.once('open', () => ws.send(text));
    ws.once('message', (m: Buffer) => { resolve(m.toString()); ws.close(); });
    ws.once('error', reject);
  });
}
