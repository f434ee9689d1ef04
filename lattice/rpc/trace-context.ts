/**
 * W3C trace context (`traceparent: 00-{trace-id}-{parent-id}-{flags}`), carried in the `traceparent` header of
 * lattice calls and HTTP requests so one request can be followed across hosts, components and providers.
 */
import { randomBytes } from 'node:crypto';

/** A parsed `traceparent`. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const RE = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Parses a `traceparent` header; undefined when absent or malformed (a new trace is started instead). */
export function parseTraceparent(header: string | undefined | null): TraceContext | undefined {
  const m = header ? RE.exec(header.trim().toLowerCase()) : null;
  if (!m || m[1] === ZERO_TRACE || m[2] === ZERO_SPAN) return undefined;
  return { traceId: m[1] as string, spanId: m[2] as string, sampled: (parseInt(m[3] as string, 16) & 1) === 1 };
}

/** Formats a context as a `traceparent` header. */
export function formatTraceparent(c: TraceContext): string {
  return `00-${c.traceId}-${c.spanId}-${c.sampled ? '01' : '00'}`;
}

// ids come from a pool of random bytes refilled 4 KiB at a time: one getrandom call per 256 spans, not two per span
// (that showed as 3.6% of the host's main thread under HTTP load)
let pool = Buffer.alloc(0);
let at = 0;
function randomHex(n: number): string {
  if (at + n > pool.length) {
    pool = randomBytes(4096);
    at = 0;
  }
  at += n;
  return pool.toString('hex', at - n, at);
}

/** A new span: a child of `parent` (same trace) or the root of a new trace. */
export function childSpan(parent?: TraceContext): TraceContext {
  return { traceId: parent?.traceId ?? randomHex(16), spanId: randomHex(8), sampled: parent?.sampled ?? true };
}
