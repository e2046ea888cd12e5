// What a work queue reports for the control plane's metrics (client-go's workqueue metrics
// provider): the queue calls these, a metrics registry implements them. No implementation here,
// so queues in processes that export nothing (the agent) pay nothing.

export interface WorkQueueMetrics {
  /** A key was accepted (not already waiting). */
  added(): void;
  /** A key was re-added after a failure. */
  retried(): void;
  /** One key's processing took this long. */
  workDone(seconds: number): void;
}

export interface QueueMetricsProvider {
  /** The metrics of the queue `name`; `depth` reads its current length at scrape time. */
  forQueue(name: string, depth: () => number): WorkQueueMetrics;
}
