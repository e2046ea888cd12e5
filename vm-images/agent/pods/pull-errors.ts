// A failed pull's message: containerd's own text, on one line, and which kind of failure it is
// (the registry does not have the image, refused the credentials, or could not be reached).
import { CriError } from '../cri/client';

export type PullFailureKind = 'not found' | 'unauthorized' | 'unreachable';

const GRPC_CODES = ['OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated'];

/** One line: newlines and runs of blanks become single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The error as the kubelet prints a CRI error: `rpc error: code = NotFound desc = …`, on one line. */
export function pullErrorText(err: unknown): string {
  if (err instanceof CriError) return oneLine(`rpc error: code = ${GRPC_CODES[err.code] ?? String(err.code)} desc = ${err.details}`);
  return oneLine(err instanceof Error ? err.message : String(err));
}

const UNAUTHORIZED = [/\b401\b/, /unauthori[sz]ed/i, /authorization failed/i, /failed to authorize/i, /\b403 Forbidden/i, /denied: requested access/i];
const NOT_FOUND = [/manifest unknown/i, /: not found\b/i, /\bnot found$/i, /name unknown/i, /code = NotFound/];
const UNREACHABLE = [/connection refused/i, /no such host/i, /i\/o timeout/i, /timeout/i, /no route to host/i, /network is unreachable/i,
  /connection reset/i, /DeadlineExceeded/];

/** Which failure the text describes, unauthorized checked first (a 401 can mention the missing manifest's URL). */
export function pullFailureKind(text: string): PullFailureKind | undefined {
  if (UNAUTHORIZED.some((r) => r.test(text))) return 'unauthorized';
  if (NOT_FOUND.some((r) => r.test(text))) return 'not found';
  if (UNREACHABLE.some((r) => r.test(text))) return 'unreachable';
  return undefined;
}

const SAYS: Record<PullFailureKind, string> = {
  'not found': 'not found: the registry has no such image or tag',
  unauthorized: 'unauthorized: the registry refused the pull credentials (check imagePullSecrets)',
  unreachable: 'unreachable: the node could not reach the registry',
};

/** The container's waiting message: containerd's text on one line, then which failure it is when known. */
export function pullWaitingMessage(text: string): string {
  const kind = pullFailureKind(text);
  return kind ? `${text} (${SAYS[kind]})` : text;
}
