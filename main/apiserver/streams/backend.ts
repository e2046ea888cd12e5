// The PodStreamBackend the API server uses for pods/log, pods/exec, pods/portforward and the proxies: everything is
// proxied to the agent server of the pod's node, reached through a NodeDialer.
import type { PodStreamBackend } from '../context';
import type { AgentEndpoint } from '../../protocol/agent-connection';
import { createExecWebSocketServer, upgradeExec } from './exec';
import { proxyLogs } from './logs';
import { proxyNode } from './node-proxy';
import { dialPodPort } from '../../protocol/pod-port-stream';
import { createPortForwardWebSocketServer, upgradePortForward } from './port-forward';

export interface PodStreams extends PodStreamBackend {
  /** Ends every open exec / port-forward WebSocket. */
  close(): void;
}

export function createPodStreamBackend(ep: AgentEndpoint): PodStreams {
  const execWss = createExecWebSocketServer();
  const pfWss = createPortForwardWebSocketServer();
  return {
    logs: (pod, query, req, res) => proxyLogs(ep, pod, query, req, res),
    nodeProxy: (node, path, query, res) => proxyNode(ep, node, path, query, res),
    dialPod: (node, namespace, pod, port) => dialPodPort(ep, node, namespace, pod, port),
    async upgrade(pod, sub, req, socket, head) {
      if (sub === 'portforward') upgradePortForward(ep, pfWss, pod, req, socket, head);
      else await upgradeExec(ep, execWss, pod, sub, req, socket, head);
    },
    close() {
      for (const c of execWss.clients) c.terminate();
      for (const c of pfWss.clients) c.terminate();
    },
  };
}
