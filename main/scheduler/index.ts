// The scheduler's entry point.
export { startScheduler, SCHEDULER_NAME } from './scheduler';
export type { Scheduler, SchedulerOptions } from './scheduler';
