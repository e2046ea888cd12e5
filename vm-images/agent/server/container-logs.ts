// GET /containerLogs/<ns>/<pod>/<container>?…: the container's CRI log file as text/plain, following
// it while the container runs. Errors are the kubelet's (400 for waiting/previous, 404 for unknown pods).
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { ContainerStatus } from 'kubernetes-types/core/v1';
import type { PodManager } from '../pods/manager';
import { badRequest, notFound, sendError } from './http-status';
import { LogOptionsError, parseLogOptions } from './log-options';
import { streamLogFile } from './log-stream';
import { containerStatusOf, type PodLookup } from './pod-lookup';

/** Which log file to read, or why there is none (as the kubelet's validateContainerLogStatus words it). */
export function chooseLogInstance(cs: ContainerStatus, pod: string, previous: boolean): 'current' | 'previous' {
  const c = cs.name;
  if (previous) {
    if (!cs.lastState?.terminated) throw badRequest(`previous terminated container "${c}" in pod "${pod}" not found`);
    return 'previous';
  }
  if (cs.state?.running || cs.state?.terminated || cs.lastState?.terminated) return 'current';
  const reason = cs.state?.waiting?.reason ?? 'ContainerCreating';
  if (reason === 'ErrImagePull') throw badRequest(`container "${c}" in pod "${pod}" is waiting to start: image can't be pulled`);
  if (reason === 'ImagePullBackOff') throw badRequest(`container "${c}" in pod "${pod}" is waiting to start: trying and failing to pull image`);
  throw badRequest(`container "${c}" in pod "${pod}" is waiting to start: ${reason}`);
}

export async function serveContainerLogs(
  deps: { pods: PodManager; lookup: PodLookup },
  res: ServerResponse, ns: string, podName: string, container: string, query: URLSearchParams,
): Promise<void> {
  try {
    let opts;
    try { opts = parseLogOptions(query); } catch (e) { if (e instanceof LogOptionsError) throw badRequest(e.message); throw e; }
    const pod = deps.lookup.find(ns, podName);
    if (!pod) throw notFound(`pod "${podName}" not found`);
    const cs = containerStatusOf(pod, container);
    if (!cs) throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
    const which = chooseLogInstance(cs, podName, opts.previous);
    const path = deps.pods.logPath(pod.uid, container, which === 'previous');
    if (!path) {
      if (which === 'previous') throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
      throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.flushHeaders();
    if (!existsSync(path)) { res.end(); return; }
    const containerID = cs.containerID;
    const follow = opts.follow && which === 'current' && cs.state?.running !== undefined;
    await streamLogFile(path, { ...opts, follow }, res, {
      running: async () => {
        const now = deps.lookup.find(ns, podName);
        const c = now && containerStatusOf(now, container);
        return !!c?.state?.running && c.containerID === containerID;
      },
    });
    res.end();
  } catch (e) {
    sendError(res, e);
  }
}
