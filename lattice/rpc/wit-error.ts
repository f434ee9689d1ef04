import { RemoteErrorCode } from '../errors.ts';

/** The longest description of a value in a WitError's message (the value itself is kept whole in `value`). */
const DESCRIBE_CHARS = 2000;

/**
 * A WIT error value: the `err` of a WIT `result`, thrown by a provider or returned by a guest's export. It is an
 * answer, not a failed call: a guest that called an import gets it back as its result's `err`. On the lattice it is
 * one reply shape (`error-reply.ts`), across the guest-worker boundary a failure coded `WIT_ERROR` carrying it in
 * `value`; every layer throws and catches this class, none spells the code.
 */
export class WitError extends Error {
  override readonly name = 'WitError';
  readonly code = RemoteErrorCode.WitError;
  readonly value: unknown;
  constructor(value: unknown) {
    super(`[${RemoteErrorCode.WitError}] ${describeWitValue(value)}`);
    this.value = value;
  }
}

/**
 * The value as one line of JSON, for messages and the reply header: 64-bit integers as decimal strings, byte lists
 * as arrays, at most 2,000 characters; never throws (a cyclic or too deeply nested value is described as such).
 */
export function describeWitValue(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v,
    );
  } catch {
    text = `(${typeof value} that has no JSON form)`;
  }
  text ??= 'null';
  return text.length > DESCRIBE_CHARS ? `${text.slice(0, DESCRIBE_CHARS)}…` : text;
}
