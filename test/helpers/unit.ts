/**
 * @module test/helpers/unit
 * The light entry of test/helpers for unit tests beside the code: builders, a log capture, waits and the nats-server
 * launcher, without the hosts, the CLI runner, Chromium or the registry that `index.ts` loads (importing `index.ts`
 * costs a unit test file several seconds on a loaded machine; this entry about what the lattice barrel costs).
 */
export { linkOf, resolvedLinkOf, testLink, putSpecs } from './links.ts';
export { hostDataOf } from './host-data.ts';
export { captureLogger } from './log-capture.ts';
export { check, Lock, sleep } from './wait.ts';
export { NatsServer } from './nats-server.ts';
