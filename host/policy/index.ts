/**
 * @module host/policy
 * Policy decisions: the {@link PolicyPort} a policy service implements, the allow-all default, and the one call
 * site every decision goes through ({@link requirePermitted}).
 *
 * ```ts
 * import { requirePermitted } from './host/policy/index.ts';
 * await requirePermitted(policy, 'startProvider', { providerId, imageRef, annotations }, key, `starting ${providerId}`);
 * ```
 */
export { allowAll, requirePermitted } from './policy.ts';
export { authorizeInvocation } from './invocation-policy.ts';
export type { PolicyPort } from './policy.ts';
export type { InvocationTarget } from './invocation-policy.ts';
