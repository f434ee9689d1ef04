import type {
  PolicyComponentInfo,
  PolicyDecision,
  PolicyInvocationInfo,
  PolicyKind,
  PolicyProviderInfo,
} from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';

/** Port of the policy service (implemented by `NatsPolicyClient`, wasmCloud's policy protocol). */
export interface PolicyPort {
  evaluate(
    kind: PolicyKind,
    request: PolicyComponentInfo | PolicyProviderInfo | PolicyInvocationInfo,
    cacheKey: string,
  ): Promise<PolicyDecision>;
}

/** The default without `--policy-topic`: every request is permitted, without a round trip. */
export const allowAll: PolicyPort = {
  evaluate: () => Promise.resolve({ permitted: true, message: '', requestId: '' }),
};

/**
 * THE call site of a policy decision: asks `policy` (allow-all when none) and refuses with one message shape, so
 * every decision (start a component, start a provider, perform an invocation) reads the same in logs and replies.
 * @param what what was asked, for the message ("starting adder", "calling x on y").
 * @throws {HostError} HOST_REFUSED naming `what` and the service's reason (a timeout is a denial: see the client).
 */
export async function requirePermitted(
  policy: PolicyPort | undefined,
  kind: PolicyKind,
  request: PolicyComponentInfo | PolicyProviderInfo | PolicyInvocationInfo,
  cacheKey: string,
  what: string,
): Promise<void> {
  const d = await (policy ?? allowAll).evaluate(kind, request, cacheKey);
  if (!d.permitted)
    throw new HostError(HostErrorCode.Refused, `policy service denied ${what}: ${d.message || 'no reason given'}`);
}
