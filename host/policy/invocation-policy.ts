import { splitOperation } from '../../lattice/index.ts';
import { requirePermitted } from './policy.ts';
import type { PolicyPort } from './policy.ts';

/** What the policy service is told about the component a call goes to. */
export interface InvocationTarget {
  componentId: string;
  imageRef: string;
  maxInstances: number;
  annotations: Record<string, string>;
}

/**
 * Asks the policy service whether `operation` (`ns:pkg/iface.func`) may be called on `target` (wasmCloud's
 * `performInvocation`); decisions are cached per component and operation by the policy client.
 * @throws {HostError} HOST_REFUSED when the service denies (or does not answer: timeout = deny)
 */
export async function authorizeInvocation(
  policy: PolicyPort | undefined,
  target: InvocationTarget,
  operation: string,
): Promise<void> {
  const { iface, func } = splitOperation(operation);
  await requirePermitted(
    policy,
    'performInvocation',
    { interface: iface, function: func, target },
    `${target.componentId}|${operation}`,
    `calling ${operation} on ${target.componentId}`,
  );
}
