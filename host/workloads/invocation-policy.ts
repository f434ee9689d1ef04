import { HostError, HostErrorCode } from '../errors.ts';
import type { PolicyPort } from './claims-verifier.ts';

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
  policy: PolicyPort,
  target: InvocationTarget,
  operation: string,
): Promise<void> {
  const dot = operation.lastIndexOf('.');
  const request = { interface: operation.slice(0, Math.max(dot, 0)), function: operation.slice(dot + 1), target };
  const d = await policy.evaluate('performInvocation', request, `${target.componentId}|${operation}`);
  if (!d.permitted)
    throw new HostError(
      HostErrorCode.Refused,
      `policy service denied calling ${operation} on ${target.componentId}: ${d.message || 'no reason given'}`,
    );
}
