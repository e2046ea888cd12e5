// A failed gRPC call as grpc-go's status error prints it (`rpc error: code = NotFound desc = …`): how the kubelet's
// messages show a runtime's or a probed server's error.
import { status as grpcStatus } from '@grpc/grpc-js';

/** Go's name of a code (codes.Code's String): `NotFound`, `DeadlineExceeded`, `OK`. */
function goCodeName(code: number): string {
  const name = (grpcStatus as unknown as Record<number, string | undefined>)[code];
  if (name === 'OK') return 'OK';
  if (!name) return `Code(${code})`;
  return name.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _u: string, ch: string) => ch.toUpperCase());
}

export function rpcErrorText(code: number, details: string): string {
  return `rpc error: code = ${goCodeName(code)} desc = ${details}`;
}
