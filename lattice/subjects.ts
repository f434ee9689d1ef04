/**
 * The ONLY file that writes subject strings (mirrors wasmCloud's control-interface `broker.rs`).
 * Control: `wasmbus.ctl.v1.{lattice}.{resource}.{op}[.{arg}]`; events: `wasmbus.evt.{lattice}.{event}`.
 */
export const CTL_PREFIX = 'wasmbus.ctl';
const v1 = (lattice: string): string => `${CTL_PREFIX}.v1.${lattice}`;

/** Subjects of the control interface. */
export const ctlSubject = {
  /** Wildcard every host subscribes to. */
  all: (lattice: string): string => `${v1(lattice)}.>`,
  prefix: (lattice: string): string => `${v1(lattice)}.`,
  hostPing: (lattice: string): string => `${v1(lattice)}.host.ping`,
  hostGet: (lattice: string, hostId: string): string => `${v1(lattice)}.host.get.${hostId}`,
  hostStop: (lattice: string, hostId: string): string => `${v1(lattice)}.host.stop.${hostId}`,
  labelPut: (lattice: string, hostId: string): string => `${v1(lattice)}.label.put.${hostId}`,
  labelDel: (lattice: string, hostId: string): string => `${v1(lattice)}.label.del.${hostId}`,
  configPut: (lattice: string, name: string): string => `${v1(lattice)}.config.put.${name}`,
  configGet: (lattice: string, name: string): string => `${v1(lattice)}.config.get.${name}`,
  configDel: (lattice: string, name: string): string => `${v1(lattice)}.config.del.${name}`,
  claimsGet: (lattice: string): string => `${v1(lattice)}.claims.get`,
  componentScale: (lattice: string, hostId: string): string => `${v1(lattice)}.component.scale.${hostId}`,
  componentUpdate: (lattice: string, hostId: string): string => `${v1(lattice)}.component.update.${hostId}`,
  componentAuction: (lattice: string): string => `${v1(lattice)}.component.auction`,
  providerStart: (lattice: string, hostId: string): string => `${v1(lattice)}.provider.start.${hostId}`,
  providerStop: (lattice: string, hostId: string): string => `${v1(lattice)}.provider.stop.${hostId}`,
  providerAuction: (lattice: string): string => `${v1(lattice)}.provider.auction`,
  linkPut: (lattice: string): string => `${v1(lattice)}.link.put`,
  linkDel: (lattice: string): string => `${v1(lattice)}.link.del`,
  linkGet: (lattice: string): string => `${v1(lattice)}.link.get`,
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
  invoke: (lattice: string, targetId: string, operation: string): string =>
    `wasmbus.rpc.${lattice}.${targetId}.${operation}`,
  target: (lattice: string, targetId: string): string => `wasmbus.rpc.${lattice}.${targetId}.>`,
  queue: (lattice: string, targetId: string): string => `${lattice}.${targetId}`,
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
