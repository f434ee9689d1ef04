/**
 * The ONLY file that writes subject strings (mirrors wasmCloud's control-interface `broker.rs`).
 * Control: `wasmbus.ctl.v1.{lattice}.{resource}.{op}[.{arg}]`; events: `wasmbus.evt.{lattice}.{event}`.
 */
import { LatticeError, LatticeErrorCode } from './errors.ts';
import { checkId } from './ids.ts';
import { ProviderOp } from './provider/ops.ts';

export const CTL_PREFIX = 'wasmbus.ctl';

/**
 * The subject trees of wasmCloud: `wasmbus.>` (control, events, RPC, metrics), `wadm.>` (wadm's API and status) and
 * `wasmcloud.>` (the policy and secrets topics by convention). Guest-chosen traffic never uses them.
 */
export const WASMCLOUD_SUBJECT_TREES: readonly string[] = ['wasmbus.>', 'wadm.>', 'wasmcloud.>'];

// Last guard: a builder throws LAT_BAD_REQUEST rather than write a subject with a wildcard or an extra token in it
// (decoders and the CLI refuse such ids earlier, naming the field).
const lat = (lattice: string): string => {
  if (!isValidLatticeName(lattice))
    throw new LatticeError(
      LatticeErrorCode.BadRequest,
      `lattice ${JSON.stringify(lattice.slice(0, 40))} is not a valid lattice name: use letters, digits, '_' or '-'`,
    );
  return lattice;
};
const tok = (v: string, field: string): string => checkId(v, field, LatticeErrorCode.BadRequest);
/** An operation may have several tokens (`ns:pkg/iface.func`) but no wildcard, space or empty token. */
const op = (v: string): string => {
  if (/[*>\s\x00-\x1f\x7f]|\.\.|^\./.test(v))
    throw new LatticeError(
      LatticeErrorCode.BadRequest,
      `operation ${JSON.stringify(v.slice(0, 60))} has a wildcard, a space or an empty token`,
    );
  return v;
};
const v1 = (lattice: string): string => `${CTL_PREFIX}.v1.${lat(lattice)}`;

/** Subjects of the control interface. */
export const ctlSubject = {
  /** Wildcard every host subscribes to. */
  all: (lattice: string): string => `${v1(lattice)}.>`,
  prefix: (lattice: string): string => `${v1(lattice)}.`,
  hostPing: (lattice: string): string => `${v1(lattice)}.host.ping`,
  hostGet: (lattice: string, hostId: string): string => `${v1(lattice)}.host.get.${tok(hostId, 'host id')}`,
  hostStop: (lattice: string, hostId: string): string => `${v1(lattice)}.host.stop.${tok(hostId, 'host id')}`,
  labelPut: (lattice: string, hostId: string): string => `${v1(lattice)}.label.put.${tok(hostId, 'host id')}`,
  labelDel: (lattice: string, hostId: string): string => `${v1(lattice)}.label.del.${tok(hostId, 'host id')}`,
  configPut: (lattice: string, name: string): string => `${v1(lattice)}.config.put.${tok(name, 'config name')}`,
  configGet: (lattice: string, name: string): string => `${v1(lattice)}.config.get.${tok(name, 'config name')}`,
  configDel: (lattice: string, name: string): string => `${v1(lattice)}.config.del.${tok(name, 'config name')}`,
  claimsGet: (lattice: string): string => `${v1(lattice)}.claims.get`,
  componentScale: (lattice: string, hostId: string): string =>
    `${v1(lattice)}.component.scale.${tok(hostId, 'host id')}`,
  componentUpdate: (lattice: string, hostId: string): string =>
    `${v1(lattice)}.component.update.${tok(hostId, 'host id')}`,
  componentAuction: (lattice: string): string => `${v1(lattice)}.component.auction`,
  providerStart: (lattice: string, hostId: string): string => `${v1(lattice)}.provider.start.${tok(hostId, 'host id')}`,
  providerStop: (lattice: string, hostId: string): string => `${v1(lattice)}.provider.stop.${tok(hostId, 'host id')}`,
  providerAuction: (lattice: string): string => `${v1(lattice)}.provider.auction`,
  linkPut: (lattice: string): string => `${v1(lattice)}.link.put`,
  linkDel: (lattice: string): string => `${v1(lattice)}.link.del`,
  linkGet: (lattice: string): string => `${v1(lattice)}.link.get`,
  /** `registry.put` reaches every host (wasmCloud); with a host id only that one. */
  registryPut: (lattice: string, hostId?: string): string =>
    `${v1(lattice)}.registry.put${hostId === undefined ? '' : `.${tok(hostId, 'host id')}`}`,
  /** Queue group for lattice-wide requests that one host answers (link, config, claims). */
  queue: (lattice: string, resource: 'link' | 'config' | 'claims'): string => `${v1(lattice)}.${resource}`,
} as const;

/** Subjects of lattice events (CloudEvents). */
export const evtSubject = {
  event: (lattice: string, type: string): string => `wasmbus.evt.${lattice}.${type}`,
  all: (lattice: string): string => `wasmbus.evt.${lattice}.>`,
} as const;

/** Subjects of invocations (component and provider RPC). */
export const rpcSubject = {
  /** `operation` may be '' (the prefix of every operation of the target). */
  invoke: (lattice: string, targetId: string, operation: string): string =>
    `wasmbus.rpc.${lat(lattice)}.${tok(targetId, 'target id')}.${op(operation)}`,
  target: (lattice: string, targetId: string): string => `wasmbus.rpc.${lat(lattice)}.${tok(targetId, 'target id')}.>`,
  /** Every invocation on the lattice (a provider process's NATS permissions). */
  all: (lattice: string): string => `wasmbus.rpc.${lat(lattice)}.>`,
  queue: (lattice: string, targetId: string): string => `${lat(lattice)}.${tok(targetId, 'target id')}`,
} as const;

/**
 * Subjects of host metrics samples (a weft extension, not wasmCloud's): each host publishes a compact sample every
 * few seconds on `wasmbus.metrics.{lattice}.{host_id}` (see `types/decode-metrics.ts`).
 */
export const metricsSubject = {
  host: (lattice: string, hostId: string): string => `wasmbus.metrics.${lat(lattice)}.${tok(hostId, 'host id')}`,
  all: (lattice: string): string => `wasmbus.metrics.${lat(lattice)}.*`,
  /** The host id a sample's subject names (its last token). */
  hostOf: (subject: string): string => subject.slice(subject.lastIndexOf('.') + 1),
} as const;

/** Subjects of the host ⇄ provider protocol (wasmCloud §5): `wasmbus.rpc.{lattice}.{provider_id}.{op}`. */
export const providerSubject = {
  health: (lattice: string, id: string): string => rpcSubject.invoke(lattice, id, ProviderOp.Health),
  shutdown: (lattice: string, id: string): string => rpcSubject.invoke(lattice, id, ProviderOp.Shutdown),
  /**
   * `wasmbus.rpc.{lattice}.{key}.linkdefs.put` (wasmCloud's `link_put_subject`): `key` is the provider process's
   * public xkey of its start for the links its host sends it (secrets sealed to that key), or the provider id for
   * the back-compat copy of a link without secrets.
   */
  linkPut: (lattice: string, key: string): string => rpcSubject.invoke(lattice, key, ProviderOp.LinkPut),
  linkDel: (lattice: string, id: string): string => rpcSubject.invoke(lattice, id, ProviderOp.LinkDel),
  /** weft's readiness handshake: the process of instance `instanceId` says it serves (see lattice/provider/). */
  ready: (lattice: string, id: string, instanceId: string): string =>
    rpcSubject.invoke(lattice, id, `${ProviderOp.Ready}.${tok(instanceId, 'instance id')}`),
} as const;

/** A secrets topic (`--secrets-topic`): dot-separated tokens of letters, digits, `_` or `-`, no wildcard. */
const secretsTopic = (topic: string): string => {
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(topic) || topic.length > 256)
    throw new LatticeError(
      LatticeErrorCode.BadRequest,
      `secrets topic ${JSON.stringify(topic.slice(0, 60))} must be dot-separated tokens of letters, digits, '_' or '-'`,
    );
  return topic;
};
const secretsBase = (topic: string, backend: string): string =>
  `${secretsTopic(topic)}.v1alpha1.${tok(backend, 'secrets backend')}`;

/**
 * Subjects of a secrets backend (wasmCloud ADR 0019): `{topic}.v1alpha1.{backend}.get` and `.server_xkey`; weft's
 * built-in backend also answers `.put_secret`, `.list_secrets` and `.delete_secret` (its management API).
 */
export const secretsSubject = {
  get: (topic: string, backend: string): string => `${secretsBase(topic, backend)}.get`,
  serverXkey: (topic: string, backend: string): string => `${secretsBase(topic, backend)}.server_xkey`,
  put: (topic: string, backend: string): string => `${secretsBase(topic, backend)}.put_secret`,
  list: (topic: string, backend: string): string => `${secretsBase(topic, backend)}.list_secrets`,
  del: (topic: string, backend: string): string => `${secretsBase(topic, backend)}.delete_secret`,
  /** Everything a backend serves (one wildcard subscription). */
  all: (topic: string, backend: string): string => `${secretsBase(topic, backend)}.*`,
} as const;

/** wadm's API and status subjects (wadm `wadm-client/src/topics.rs`): `wadm.api.{lattice}.model.{op}[.{name}]`. */
export const wadmSubject = {
  api: (lattice: string, op: string, name?: string): string =>
    `wadm.api.${lat(lattice)}.model.${op}${name ? `.${tok(name, 'application name')}` : ''}`,
  all: (lattice: string): string => `wadm.api.${lat(lattice)}.model.>`,
  status: (lattice: string, app: string): string =>
    `wadm.status.${lat(lattice)}.${app === '*' ? '*' : tok(app, 'application name')}`,
} as const;

/** JetStream KV bucket names for a lattice (wasmCloud §4). */
export const bucketName = {
  latticeData: (lattice: string): string => `LATTICEDATA_${lattice}`,
  configData: (lattice: string): string => `CONFIGDATA_${lattice}`,
} as const;

/**
 * Splits a control subject into resource, op and arg.
 * @returns undefined when the subject is not under this lattice's control prefix.
 */
export function parseCtlSubject(
  lattice: string,
  subject: string,
): { resource: string; op: string; arg: string | undefined } | undefined {
  const prefix = ctlSubject.prefix(lattice);
  if (!subject.startsWith(prefix)) return undefined;
  const [resource = '', op = '', ...rest] = subject.slice(prefix.length).split('.');
  return { resource, op, arg: rest.length ? rest.join('.') : undefined };
}

/** True when a lattice name is usable inside NATS subjects and bucket names. */
export function isValidLatticeName(lattice: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(lattice);
}
