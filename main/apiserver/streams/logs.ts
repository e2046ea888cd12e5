// pods/log: proxied to the node agent's /containerLogs, streamed (follow) until either side goes away.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentEndpoint } from '../../protocol/agent-connection';
import { agentGet } from '../../protocol/agent-connection';
import { agentStatusError, nodeUnreachable } from './agent-errors';
import { resolveContainer, type PodWithContainers } from './pod-containers';
import { queryFlag } from '../query-bool';

const LOG_PARAMS = ['tailLines', 'sinceSeconds', 'sinceTime', 'limitBytes'];
/** PodLogOptions' booleans, passed on as `true` when set by Kubernetes' rule and left out otherwise. */
const LOG_FLAGS = ['follow', 'timestamps', 'previous'];

type PodLike = PodWithContainers & { spec?: { nodeName?: string } };

export function containerLogsPath(pod: PodLike, query: URLSearchParams): string {
  const container = resolveContainer(pod, query.get('container'));
  const q = new URLSearchParams();
  for (const k of LOG_PARAMS) {
    const v = query.get(k);
    if (v !== null && v !== '') q.set(k, v);
  }
  for (const k of LOG_FLAGS) if (queryFlag(query, k)) q.set(k, 'true');
  const s = q.toString();
  const seg = (x: string): string => encodeURIComponent(x);
  return `/containerLogs/${seg(pod.metadata.namespace ?? 'default')}/${seg(pod.metadata.name)}/${seg(container)}${s ? `?${s}` : ''}`;
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    res.on('data', (d: Buffer) => parts.push(d));
    res.on('end', () => resolve(Buffer.concat(parts).toString()));
    res.on('error', () => resolve(Buffer.concat(parts).toString()));
  });
}

export async function proxyLogs(ep: AgentEndpoint, pod: PodLike, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const node = pod.spec?.nodeName ?? '';
  let upstream: Awaited<ReturnType<typeof agentGet>>;
  try {
    upstream = await agentGet(ep, node, containerLogsPath(pod, query));
  } catch (e) {
    throw nodeUnreachable(node, e);
  }
  const { res: ares, req: areq } = upstream;
  if (ares.statusCode !== 200) throw agentStatusError(ares.statusCode ?? 502, await readAll(ares));
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.flushHeaders();
  const abort = (): void => { areq.destroy(); };
  // The client going away closes the response (IncomingMessage's own 'close' only means its body was read).
  res.on('close', abort);
  await new Promise<void>((resolve) => {
    ares.on('data', (d: Buffer) => { if (!res.write(d)) { ares.pause(); res.once('drain', () => ares.resume()); } });
    ares.on('end', () => { res.end(); resolve(); });
    ares.on('error', () => { res.destroy(); resolve(); });
    ares.on('close', () => { if (!res.writableEnded) res.end(); resolve(); });
  });
  void req;
}
