/**
 * The one rule for names that end up inside NATS subjects, queue groups or KV keys: component ids, provider ids,
 * link source/target ids and link names, config names and app names. NATS treats `.` as a token separator and `*`
 * / `>` as wildcards, so an id `ev*il` would subscribe to every other target's calls; the rule keeps each name one
 * literal token.
 */
import { LatticeError, LatticeErrorCode } from './errors.ts';

/** 1 to 128 ASCII letters, digits, `_` or `-` (one literal NATS token, no wildcard, no separator). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
/** The rule in words, for error messages and CLI help. */
export const ID_RULE = "1 to 128 letters, digits, '_' or '-'";

/** True when `v` is a string that follows {@link ID_PATTERN}. */
export function isValidId(v: unknown): v is string {
  return typeof v === 'string' && ID_PATTERN.test(v);
}

/** How a refused value is shown: quoted and escaped (control characters never reach a terminal), at most 40 characters. */
export function showId(v: unknown): string {
  const s = typeof v === 'string' ? v : String(v);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** The message for a refused id: names the field, shows the value and states the rule. */
export function badIdMessage(field: string, v: unknown): string {
  return `${field} ${showId(v)} is not a valid id: use ${ID_RULE}`;
}

/**
 * Returns `v` when it is a valid id.
 * @param field what the value is, as the message shows it (e.g. `link: "source_id"`).
 * @throws {LatticeError} `code` (LAT_BAD_PAYLOAD by default) naming the field and the rule otherwise.
 */
export function checkId(v: unknown, field: string, code: LatticeErrorCode = LatticeErrorCode.BadPayload): string {
  if (!isValidId(v)) throw new LatticeError(code, badIdMessage(field, v), { hint: `ids and names are ${ID_RULE}` });
  return v;
}
