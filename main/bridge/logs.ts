// One pod log stream: GET pods/log (follow) through the API, split into lines and pushed in batches.
import type { BridgeError, LogRequest } from './contract';
import type { ApiEndpoint } from './api-http';
import { openGet, readText, statusError } from './api-http';

export interface LogSink {
  lines(lines: string[]): void;
  end(error?: BridgeError): void;
}

export function logPath(req: LogRequest): string {
  const q = new URLSearchParams();
  if (req.follow) q.set('follow', 'true');
  if (req.container) q.set('container', req.container);
  if (req.previous) q.set('previous', 'true');
  q.set('tailLines', String(req.tailLines ?? 500));
  return `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/log?${q.toString()}`;
}

const FLUSH_MS = 50;

/** Starts the stream; returns its disposer (after which the sink hears nothing). */
export function streamLogs(api: ApiEndpoint, req: LogRequest, sink: LogSink): () => void {
  let stopped = false;
  let partial = '';
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (stopped || pending.length === 0) return;
    const batch = pending;
    pending = [];
    sink.lines(batch);
  };
  const finish = (error?: BridgeError) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    if (partial) pending.push(partial);
    partial = '';
    flush();
    stopped = true;
    sink.end(error);
  };
  const stream = openGet(api, logPath(req), 'text/plain, */*');
  stream.response.then(async (res) => {
    const code = res.statusCode ?? 0;
    if (code >= 400) {
      finish(statusError(code, await readText(res)));
      return;
    }
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (stopped) return;
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      pending.push(...parts);
      if (!timer) timer = setTimeout(flush, FLUSH_MS);
    });
    res.on('end', () => finish());
    res.on('error', (e) => finish({ code: 500, reason: 'StreamError', message: e.message }));
  }, (e: unknown) => finish({ code: 503, reason: 'ServiceUnavailable', message: e instanceof Error ? e.message : String(e) }));
  return () => {
    if (timer) clearTimeout(timer);
    stopped = true;
    stream.abort();
  };
}
