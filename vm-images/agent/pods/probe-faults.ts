// Readiness probes failed on purpose (Flotilla's one-click "fail readiness probe", PUT/DELETE /faults/readiness/<uid>/
// <container> on the agent's server): while a container is listed here its readiness probe attempts fail — whatever the
// probe's type (httpGet, tcpSocket, exec, grpc) — with the message below, and everything after the attempt is the
// kubelet's own: the failure threshold, the Unhealthy events, Ready=False, the endpoints and kube-proxy rules dropped.
// Kept by pod UID and container name, so a restarted container keeps failing; held in memory (an agent restart heals).

/** The probe output an attempt reports while failed on purpose (the kubelet's event: "Readiness probe failed: <this>"). */
export const FORCED_READINESS_MESSAGE = 'failed on purpose by a Flotilla one-click failure until healed (the probe itself is not run)';

export class ProbeFaults {
  private readonly failing = new Set<string>();

  private static key(uid: string, container: string): string {
    return `${uid}/${container}`;
  }

  fail(uid: string, container: string): void {
    this.failing.add(ProbeFaults.key(uid, container));
  }

  /** Returns whether the container's readiness probe was failed on purpose. */
  heal(uid: string, container: string): boolean {
    return this.failing.delete(ProbeFaults.key(uid, container));
  }

  /** The forced failure's message when the container's readiness probe is failed on purpose. */
  forcedReadiness(uid: string, container: string): string | undefined {
    return this.failing.has(ProbeFaults.key(uid, container)) ? FORCED_READINESS_MESSAGE : undefined;
  }

  /** A pod gone: its entries go with it. */
  forget(uid: string): void {
    for (const k of [...this.failing]) if (k.startsWith(`${uid}/`)) this.failing.delete(k);
  }
}
