// API Priority and Fairness' metrics, named and labelled as kube-apiserver's apiserver_flowcontrol_*. Every request
// passes APF, so its figures are tallied per priority level and flow schema (tally.ts) and read when scraped.
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { LabelSets, tallyCounter, tallyGauge } from './tally';

/** One priority level's and flow schema's figures, as the filter moves them. */
export interface FlowFigures {
  /** A request got a seat (dispatched and executing). */
  dispatched(): void;
  /** A request gave its seat back. */
  released(): void;
  /** A request waits in a queue (+1), or no longer (-1). */
  queued(delta: 1 | -1): void;
  /** A request was rejected. */
  rejected(reason: string): void;
}

export interface FlowControlMetrics {
  /** The figures of this priority level and flow schema (the same object each time). */
  flow(priorityLevel: string, flowSchema: string): FlowFigures;
  nominalLimit: Gauge<'priority_level'>;
}

export function flowControlMetrics(registry: Registry): FlowControlMetrics {
  const pair = ['priority_level', 'flow_schema'] as const;
  const inqueue = tallyGauge(registry, 'apiserver_flowcontrol_current_inqueue_requests', 'Number of requests currently pending in queues of the API Priority and Fairness subsystem', pair);
  const executing = tallyGauge(registry, 'apiserver_flowcontrol_current_executing_requests', 'Number of requests in initial (for a WATCH) or any (for a non-WATCH) execution stage in the API Priority and Fairness subsystem', pair);
  const rejected = tallyCounter(registry, 'apiserver_flowcontrol_rejected_requests_total', 'Number of requests rejected by API Priority and Fairness subsystem', [...pair, 'reason']);
  const dispatched = tallyCounter(registry, 'apiserver_flowcontrol_dispatched_requests_total', 'Number of requests executed by API Priority and Fairness subsystem', pair);
  const nominalLimit = new Gauge({ name: 'apiserver_flowcontrol_nominal_limit_seats', help: 'Nominal number of execution seats configured for each priority level', labelNames: ['priority_level'], registers: [registry] });
  const flows = new LabelSets(pair, ({ priority_level: level, flow_schema: schema }): FlowFigures => {
    const q = inqueue.get([level, schema]);
    const x = executing.get([level, schema]);
    const d = dispatched.get([level, schema]);
    return {
      dispatched() {
        d.value++;
        x.value++;
      },
      released() {
        x.value--;
      },
      queued(delta) {
        q.value += delta;
      },
      rejected(reason) {
        rejected.get([level, schema, reason]).value++;
      },
    };
  });
  return { flow: (level, schema) => flows.get([level, schema]), nominalLimit };
}
