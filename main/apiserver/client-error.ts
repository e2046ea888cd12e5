// What the server answers to a request Node's HTTP parser refuses before any handler sees it (a method
// it does not know, a malformed request line or header, headers over the limit): a Status like every
// other answer, instead of Node's bare "400 Bad Request" without a body, then the connection is closed.
import type { Duplex } from 'node:stream';
import { ApiError } from './status';
import { endWithResponse } from '../protocol/raw-response';

/** The error Node's `clientError` event carries (llhttp's code, when it has one). */
type ClientError = Error & { code?: string };

export function answerClientError(err: ClientError, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const [code, text] = tooLarge ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
  const message = tooLarge ? 'the request headers are too large' : `the server could not parse the request: ${err.code ?? err.message}`;
  const body = JSON.stringify(new ApiError(code, 'BadRequest', message).toStatus());
  endWithResponse(socket, code, 'application/json', body, { reason: text });
}
