/**
 * The host metrics sample: a compact summary each host publishes every few seconds on
 * `wasmbus.metrics.{lattice}.{host_id}` (a weft extension, not part of wasmCloud 1.x), so the dashboard and
 * `weft top` see traffic without scraping `--http-admin`. It is a plain subject, not a CloudEvent: nothing stores
 * it, and the event stream (the controller, `weft get events`) does not carry one message per host every 5 s.
 * It lives under `wasmbus.>`, which guest messaging and provider processes may not publish on.
 */
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { isValidId, showId } from '../ids.ts';
import { asObject, id, num, str } from './limits.ts';

/** Traffic of one component since its host started (counts) and over the last interval (latency). */
export interface ComponentTraffic {
  id: string;
  /** Invocations served since the host started (a counter: rates come from two samples). */
  invocations: number;
  /** Failed invocations since the host started, by error code (`COMP_TRAP`, `COMP_TIMEOUT`, …). */
  errors: Record<string, number>;
  /** Median and 99th percentile latency over the last interval, in ms; absent when no call ended in it. */
  p50_ms?: number;
  p99_ms?: number;
}

/** One host's metrics sample (snake_case on the wire, like the rest of the lattice). */
export interface HostMetricsSample {
  host_id: string;
  /** When it was taken, ms since the epoch (the host's clock). */
  time_ms: number;
  /** The sampling interval, ms. */
  interval_ms: number;
  uptime_seconds: number;
  /** Resident set size of the host process. */
  rss_bytes: number;
  /** CPU time of the host process over the last interval, in % of one core (can pass 100 with several threads). */
  cpu_percent: number;
  /** Guest worker threads running. */
  guest_workers: number;
  /** Guest calls admitted now, and the host's admission cap (`--max-guest-instances`); 0 when not known. */
  instances_in_use: number;
  instance_cap: number;
  components: ComponentTraffic[];
}

/** Bounds of a sample: a host with more components or error codes than this sends a malformed sample. */
export const MetricsLimits = { components: 2000, codes: 64, codeLength: 64 } as const;

const CODE = /^[A-Za-z0-9_.-]+$/;
const bad = (msg: string): LatticeError => new LatticeError(LatticeErrorCode.BadPayload, msg);

function errorsOf(v: unknown, what: string): Record<string, number> {
  if (v === undefined || v === null) return {};
  const o = asObject(v, what);
  const entries = Object.entries(o);
  if (entries.length > MetricsLimits.codes) throw bad(`${what} has more than ${MetricsLimits.codes} codes`);
  const out: Record<string, number> = {};
  for (const [code] of entries) {
    if (code.length > MetricsLimits.codeLength || !CODE.test(code))
      throw bad(`${what}: code ${showId(code)} is not a code`);
    out[code] = num(o, code, what);
  }
  return out;
}

function traffic(v: unknown, what: string): ComponentTraffic {
  const o = asObject(v, what);
  const cid = o['id'];
  if (!isValidId(cid)) throw bad(`${what}: "id" ${showId(cid)} is not a valid component id`);
  const out: ComponentTraffic = {
    id: cid,
    invocations: num(o, 'invocations', what),
    errors: errorsOf(o['errors'], `${what}: errors`),
  };
  for (const k of ['p50_ms', 'p99_ms'] as const) if (o[k] !== undefined && o[k] !== null) out[k] = num(o, k, what);
  return out;
}

/**
 * A metrics sample from `subject`'s host (`hostId`, the last token of the subject): every field checked, lists and
 * maps bounded.
 * @throws {LatticeError} LAT_BAD_PAYLOAD naming the field, or when the sample describes another host than the
 * subject it came on (forged or confused).
 */
export function decodeMetricsSample(v: unknown, hostId: string): HostMetricsSample {
  const what = 'metrics sample';
  const o = asObject(v, what);
  const host = id(o, 'host_id', what);
  if (host !== hostId) throw bad(`metrics sample on the subject of ${showId(hostId)} describes host ${showId(host)}`);
  const list = o['components'] ?? [];
  if (!Array.isArray(list)) throw bad(`${what}: "components" must be a list`);
  if (list.length > MetricsLimits.components)
    throw bad(`${what}: "components" has more than ${MetricsLimits.components} entries`);
  return {
    host_id: str(o, 'host_id', what),
    time_ms: num(o, 'time_ms', what),
    interval_ms: num(o, 'interval_ms', what),
    uptime_seconds: num(o, 'uptime_seconds', what, 0),
    rss_bytes: num(o, 'rss_bytes', what, 0),
    cpu_percent: num(o, 'cpu_percent', what, 0),
    guest_workers: num(o, 'guest_workers', what, 0),
    instances_in_use: num(o, 'instances_in_use', what, 0),
    instance_cap: num(o, 'instance_cap', what, 0),
    components: list.map((c, i) => traffic(c, `${what}: components[${i}]`)),
  };
}
