// Every failure becomes a readable BridgeError: the API's Status when there is one.
import { ClientError } from '../client/types';
import type { BridgeError } from './contract';
import { BadRequest } from './kinds';

export class BridgeFailure extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message);
  }
}

export function toBridgeError(e: unknown): BridgeError {
  if (e instanceof ClientError) return { code: e.code, reason: e.reason, message: e.status?.message ?? e.message };
  if (e instanceof BridgeFailure) return { code: e.code, reason: e.reason, message: e.message };
  if (e instanceof BadRequest) return { code: 400, reason: 'BadRequest', message: e.message };
  if (e instanceof Error) return { code: 500, reason: 'InternalError', message: e.message };
  return { code: 500, reason: 'InternalError', message: String(e) };
}
