/**
 * Which NATS subjects a guest may publish or request on through messaging-nats (pure functions, no NATS).
 *
 * A guest may use a subject that matches its consumer link's `PUBLISH_SUBJECTS`, or the reply-to of a message this
 * provider is delivering to it right now. Reserved subjects (the lattice's control plane, JetStream, events, other
 * clients' inboxes, the policy and secrets services) are refused whatever the link says, as the subject and as the
 * reply-to; so are malformed subjects.
 */
import { WASMCLOUD_SUBJECT_TREES } from '../../lattice/index.ts';

/** Longest subject a guest may name. */
export const MAX_SUBJECT_LENGTH = 256;

/**
 * Never published on for a guest. `$…` covers every NATS system namespace (`$JS`, `$KV`, `$O`, `$SYS`, `$SRV`, …);
 * `wasmcloud.>` covers wasmCloud's policy (`wasmcloud.policy` by convention) and secrets (`wasmcloud.secrets.>`)
 * topics; `_INBOX.>` is other clients' replies, except the reply-to of the message being handled.
 */
export const RESERVED_SUBJECTS: readonly string[] = [...WASMCLOUD_SUBJECT_TREES, '$*.>', '_INBOX.>'];

const INBOX = '_INBOX.>';

/** Why `subject` is not a well-formed NATS subject (or pattern, with `wildcards`); undefined when it is. */
export function malformedSubject(subject: unknown, wildcards = false): string | undefined {
  if (typeof subject !== 'string') return 'it is not a string';
  if (subject.length === 0) return 'it is empty';
  if (subject.length > MAX_SUBJECT_LENGTH) return `it is longer than ${MAX_SUBJECT_LENGTH} characters`;
  if (/[\s\u0000-\u001f\u007f]/u.test(subject)) return 'it contains whitespace or control characters';
  const tokens = subject.split('.');
  if (tokens.some((t) => t === '')) return 'it has an empty token (a leading, trailing or double dot)';
  if (!wildcards) {
    if (/[*>]/.test(subject)) return 'it contains a wildcard (* or >): publish needs a concrete subject';
    return undefined;
  }
  for (const [i, t] of tokens.entries()) {
    if (/[*>]/.test(t) && t !== '*' && t !== '>') return `token "${t}" mixes a wildcard with other characters`;
    if (t === '>' && i !== tokens.length - 1) return '">" may only be the last token';
  }
  return undefined;
}

/**
 * True when the concrete `subject` matches `pattern` token by token (`*` one token, `>` one or more trailing tokens).
 * A pattern token `$*` (only used in {@link RESERVED_SUBJECTS}) matches any token that starts with `$`.
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const t = p[i]!;
    if (t === '>') return s.length > i;
    if (i >= s.length) return false;
    if (t === '*') continue;
    if (t === '$*' ? !s[i]!.startsWith('$') : t !== s[i]) return false;
  }
  return p.length === s.length;
}

/** The reserved pattern `subject` falls under, if any. */
export function reservedBy(subject: string): string | undefined {
  return RESERVED_SUBJECTS.find((r) => subjectMatches(r, subject));
}

/** `PUBLISH_SUBJECTS`: comma-separated patterns; the malformed ones are returned apart (and never match). */
export function parsePublishSubjects(text: string | undefined): {
  patterns: string[];
  invalid: { pattern: string; reason: string }[];
} {
  const patterns: string[] = [];
  const invalid: { pattern: string; reason: string }[] = [];
  for (const raw of (text ?? '').split(',')) {
    const pattern = raw.trim();
    if (!pattern) continue;
    const reason = malformedSubject(pattern, true);
    if (reason) invalid.push({ pattern, reason });
    else patterns.push(pattern);
  }
  return { patterns, invalid };
}

/** True when a delivered message's reply-to may be answered by the guest (well-formed, not reserved except `_INBOX`). */
export function isAnswerableReply(reply: string | null | undefined): reply is string {
  if (!reply || malformedSubject(reply)) return false;
  const r = reservedBy(reply);
  return r === undefined || r === INBOX;
}

/** What a guest asks to use: the subject it publishes or requests on, and the reply-to it names (publish only). */
export interface SubjectUse {
  subject: unknown;
  replyTo?: unknown;
  /** Patterns from the link's `PUBLISH_SUBJECTS` ({@link parsePublishSubjects}). */
  allowed: readonly string[];
  /** True for the reply-to of a message being delivered to this guest now. */
  isCurrentReply: (subject: string) => boolean;
}

/** Why a use is refused: which field, its value (as a string, cut short) and the reason. */
export interface SubjectRefusal {
  field: 'subject' | 'reply-to';
  subject: string;
  reason: string;
}

/** Checks the subject and the reply-to of a publish or request; undefined when both are allowed. */
export function checkSubjectUse(use: SubjectUse): SubjectRefusal | undefined {
  const fields: ['subject' | 'reply-to', unknown][] = [['subject', use.subject]];
  if (use.replyTo !== undefined && use.replyTo !== null) fields.push(['reply-to', use.replyTo]);
  for (const [field, value] of fields) {
    const reason = refusalOf(value, use);
    if (reason)
      return {
        field,
        subject: typeof value === 'string' ? value.slice(0, MAX_SUBJECT_LENGTH + 1) : String(typeof value),
        reason,
      };
  }
  return undefined;
}

function refusalOf(value: unknown, use: SubjectUse): string | undefined {
  const bad = malformedSubject(value);
  if (bad) return `malformed subject: ${bad}`;
  const subject = value as string;
  const current = use.isCurrentReply(subject);
  const reserved = reservedBy(subject);
  if (reserved && !(reserved === INBOX && current))
    return `reserved subject (${reserved}), refused whatever PUBLISH_SUBJECTS says`;
  if (current || use.allowed.some((p) => subjectMatches(p, subject))) return undefined;
  return use.allowed.length
    ? `not on the link's PUBLISH_SUBJECTS (${use.allowed.join(',')}) and not the reply-to of a message being handled`
    : "the link has no PUBLISH_SUBJECTS and it is not the reply-to of a message being handled; set PUBLISH_SUBJECTS in the consumer link's target config";
}
