/**
 * How a call or a host import ended, as it crosses the guest-worker boundary (`result` and `importResult` messages
 * alike): a value, a coded failure, or a WIT error value (the `err` of a WIT `result`: an answer, not a failure),
 * which is a failure coded `WIT_ERROR` with the value in `value` (structured clone keeps 64-bit integers and bytes).
 * The main thread turns it into lattice's `WitError` (worker-slot.ts), and a worker serving the lattice sends it as
 * lattice's one WIT error reply (worker-lattice.ts).
 */
import { RemoteErrorCode } from '../../lattice/pure.ts';

/** The code of an outcome carrying a WIT error value (lattice's). */
export const WIT_ERROR = RemoteErrorCode.WitError;

/** A coded failure; `value` is the WIT error value when `code` is {@link WIT_ERROR}. */
export interface Failure {
  ok: false;
  code: string;
  message: string;
  value?: unknown;
}

/** How a call ended. */
export type Outcome = { ok: true; value: unknown } | Failure;

/** The outcome of WIT error value `value`; `message` describes it for logs and metrics. */
export function witErrorOutcome(value: unknown, message: string): Failure {
  return { ok: false, code: WIT_ERROR, message, value };
}

/** Whether a failure carries a WIT error value (then the guest gets it as its result's `err`). */
export const isWitErrorOutcome = (o: { ok: boolean; code?: string }): boolean => !o.ok && o.code === WIT_ERROR;

/**
 * What jco's bindings lower to the `err` of an import's `result`: an Error with an own `payload` property (jco's
 * `getErrorPayload`, the shape of its ComponentError); the guest never sees the Error itself.
 */
export function guestResultErr(value: unknown): Error {
  return Object.assign(new Error(`${WIT_ERROR}: the import answered a WIT error value`), { payload: value });
}
