/**
 * Whether a host's labels satisfy label constraints: every constraint key is set to exactly that value (wasmCloud's
 * auction and wadm spread rule; no constraints match every host).
 */
export function matchesLabels(
  labels: Readonly<Record<string, string>>,
  constraints: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(constraints).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}
