// A port forward the control plane keeps open from the host (127.0.0.1) to a Service port or a pod's port: the UI's
// "Open" and "Forward port…". Types shared by the control plane's forwards (main/tunnel) and the UI contract.

export interface ForwardTarget {
  kind: 'service' | 'pod';
  namespace: string;
  name: string;
  /** The Service's port, or the pod's (container) port. */
  port: number;
}

export interface PortForward {
  id: string;
  target: ForwardTarget;
  /** The port on 127.0.0.1. */
  localPort: number;
  /** http://127.0.0.1:<localPort>/ */
  url: string;
  /** Made by deploying the app of this name (drag and drop from the catalog), not by hand. */
  app?: string;
  /** Pods a new connection can go to now. */
  ready: number;
  /** Why a new connection cannot be made now (no ready endpoint, the Service gone). */
  problem?: string;
}
