/**
 * Waits for `p` to settle, but no longer than `ms`; never rejects (a caller that needs the outcome reads `p` itself).
 * The timer is cleared when `p` settles first, so no wait outlives what it waited for.
 */
export async function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    p.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((r) => (timer = setTimeout(r, ms))),
  ]);
  clearTimeout(timer);
}
