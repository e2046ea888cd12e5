// Hollow (simulated) nodes for tests, benchmarks and `flotilla serve --hollow-nodes N`.
export { startHollowNodes } from './hollow-nodes';
export type { HollowNodes, HollowOptions } from './hollow-nodes';
