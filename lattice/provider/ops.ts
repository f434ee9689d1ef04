/**
 * Operation names of the host ⇄ provider protocol, the last tokens of `wasmbus.rpc.{lattice}.{provider_id}.{op}`
 * (wasmCloud §5, `crates/core/src/rpc.rs`). `ready.{instance_id}` is weft's: the readiness handshake of a provider
 * process (wasmCloud's host does not wait for one).
 */
export const ProviderOp = {
  Health: 'health',
  Shutdown: 'default.shutdown',
  LinkPut: 'linkdefs.put',
  LinkDel: 'linkdefs.del',
  Ready: 'ready',
} as const;
export type ProviderOp = (typeof ProviderOp)[keyof typeof ProviderOp];

const CONTROL = new Set<string>([ProviderOp.Health, ProviderOp.Shutdown, ProviderOp.LinkPut, ProviderOp.LinkDel]);

/**
 * True for an operation of the protocol rather than a component's call: the responder of a provider's calls leaves
 * these alone (they share the subject space `{provider_id}.>`, and each has its own subscription without a queue group).
 */
export function isProviderControlOp(operation: string): boolean {
  return CONTROL.has(operation) || operation.startsWith(`${ProviderOp.Ready}.`);
}
