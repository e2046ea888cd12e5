// API Priority and Fairness' metrics, named and labelled as kube-apiserver's apiserver_flowcontrol_*.
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

export interface FlowControlMetrics {
  inqueue: Gauge<'priority_level' | 'flow_schema'>;
  executing: Gauge<'priority_level' | 'flow_schema'>;
  rejected: Counter<'priority_level' | 'flow_schema' | 'reason'>;
  dispatched: Counter<'priority_level' | 'flow_schema'>;
  nominalLimit: Gauge<'priority_level'>;
}

export function flowControlMetrics(registry: Registry): FlowControlMetrics {
  const registers = [registry];
  const pair = ['priority_level', 'flow_schema'] as const;
  return {
    inqueue: new Gauge({ name: 'apiserver_flowcontrol_current_inqueue_requests', help: 'Number of requests currently pending in queues of the API Priority and Fairness subsystem', labelNames: pair, registers }),
    executing: new Gauge({ name: 'apiserver_flowcontrol_current_executing_requests', help: 'Number of requests in initial (for a WATCH) or any (for a non-WATCH) execution stage in the API Priority and Fairness subsystem', labelNames: pair, registers }),
    rejected: new Counter({ name: 'apiserver_flowcontrol_rejected_requests_total', help: 'Number of requests rejected by API Priority and Fairness subsystem', labelNames: [...pair, 'reason'], registers }),
    dispatched: new Counter({ name: 'apiserver_flowcontrol_dispatched_requests_total', help: 'Number of requests executed by API Priority and Fairness subsystem', labelNames: pair, registers }),
    nominalLimit: new Gauge({ name: 'apiserver_flowcontrol_nominal_limit_seats', help: 'Nominal number of execution seats configured for each priority level', labelNames: ['priority_level'], registers }),
  };
}
