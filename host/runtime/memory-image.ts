/**
 * Restoring a linear memory to its image right after instantiation (the reset between calls). Most of an image is
 * zeros (a Rust guest's 1 MiB stack, the heap's untouched pages): those stretches are filled, which costs about
 * half of copying them (≈ 12 µs instead of 21 µs for the adder's 1.1 MiB, in a worker's per-call budget).
 */

const PAGE = 4096;
const ZERO_PAGE = Buffer.alloc(PAGE);
/** [from, to, all zeros] stretches per image, computed on its first restore. */
const runsOf = new WeakMap<Uint8Array, [number, number, boolean][]>();

function zeroRuns(img: Uint8Array): [number, number, boolean][] {
  let runs = runsOf.get(img);
  if (runs) return runs;
  runs = [];
  const buf = Buffer.from(img.buffer, img.byteOffset, img.byteLength);
  for (let at = 0; at < img.byteLength; at += PAGE) {
    const to = Math.min(at + PAGE, img.byteLength);
    const zero = buf.compare(ZERO_PAGE, 0, to - at, at, to) === 0;
    const last = runs.at(-1);
    if (last?.[2] === zero) last[1] = to;
    else runs.push([at, to, zero]);
  }
  runsOf.set(img, runs);
  return runs;
}

/** Writes `img` over `mem` (same size). */
export function restoreImage(mem: WebAssembly.Memory, img: Uint8Array): void {
  const u8 = new Uint8Array(mem.buffer);
  for (const [from, to, zero] of zeroRuns(img)) {
    if (zero) u8.fill(0, from, to);
    else u8.set(img.subarray(from, to), from);
  }
}
