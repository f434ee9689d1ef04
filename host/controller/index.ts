/**
 * @module host/controller
 * The reconciler for wadm-compatible applications: one active per lattice, serves the wadm API, keeps deployed
 * manifests running as hosts come and go.
 *
 * ```ts
 * import { Controller } from './host/controller/index.ts';
 * const c = await Controller.start({ nc, lattice: 'default', logger, heartbeatIntervalSec: 30, missedHeartbeats: 2 });
 * await c.stop();
 * ```
 */
export { Controller } from './controller.ts';
export { planApp, splitByWeight, MANAGED_BY, APPSPEC, SPREAD } from './plan.ts';
export type { ControllerOptions } from './controller.ts';
export type { Plan, ObservedHost } from './plan.ts';
