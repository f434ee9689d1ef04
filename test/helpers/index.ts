/**
 * @module test/helpers
 * Real processes for tests: nats-server (single and cluster), in-process hosts, event recorders, waits.
 */
export { NatsServer, startNatsCluster } from './nats-server.ts';
export { check, Lock, sleep } from './wait.ts';
export { latticeFor } from './lattice-name.ts';
export {
  startTestHost,
  testCtl,
  rawNatsOf,
  EventRecorder,
  scaleAndWait,
  assertScaleComponent,
  assertStartProvider,
} from './test-host.ts';
export type { NatsCluster } from './nats-server.ts';
export { runCli, spawnCli, waitForOutput, CLI_MAIN } from './cli.ts';
export type { CliResult } from './cli.ts';
export { launchChromium, CHROMIUM } from './browser.ts';
export { captureLogger } from './log-capture.ts';
export { linkOf, resolvedLinkOf, testLink, putSpecs } from './links.ts';
export { linkKvCounter } from './kv-counter.ts';
export { hostDataOf } from './host-data.ts';
export { SECRET_HASH_PROVIDER, putSecretConfig, sha256Hex, startTestSecretsBackend } from './secrets.ts';
export { fixture, fixtureRef, COMPONENT_FIXTURES } from './fixtures.ts';
export { actorRef, ACTORS_DIR } from './actors.ts';
export { startRedis } from './redis-server.ts';
export { wadmApi, jetStreamReady } from './wadm.ts';
export type { WadmReply } from './wadm.ts';
export type { RunningRedis } from './redis-server.ts';
export { startRegistry, findRegistryBin, REGISTRY_TEST_USER, REGISTRY_TEST_PASSWORD } from './registry.ts';
export type { RegistryOptions, RunningRegistry, TokenRequest } from './registry.ts';
