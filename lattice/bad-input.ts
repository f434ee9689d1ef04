import { RateLimitedLog } from './rate-limited-log.ts';
import type { WarnSink } from './rate-limited-log.ts';

/**
 * Where untrusted lattice input that failed validation is reported: a dropped event, heartbeat, KV entry or reply
 * is one warning per source (a subject family, a bucket) every 10 s, with the count of those suppressed in between,
 * so a flood cannot fill the log. The sink is a JSON line on stderr until the process sets its logger.
 */
let sink: WarnSink = {
  warn: (obj, msg) =>
    process.stderr.write(`${JSON.stringify({ level: 40, time: new Date().toISOString(), ...obj, msg })}\n`),
};
let log = new RateLimitedLog({ warn: (o, m) => sink.warn(o, m) }, { intervalMs: 10_000 });

/** Sends the warnings about dropped input to `s` (the host's or the CLI's logger), each source's window afresh. */
export function setBadInputSink(s: WarnSink): void {
  sink = s;
  log = new RateLimitedLog({ warn: (o, m) => sink.warn(o, m) }, { intervalMs: 10_000 });
}

/** Reports one dropped input: `source` names where it came from (a subject, a bucket), `err` why it was dropped. */
export function dropBadInput(source: string, err: unknown, extra: Record<string, unknown> = {}): void {
  const reason = String((err as Error)?.message ?? err).slice(0, 300);
  log.warn(source, { source, reason, ...extra }, 'dropped malformed lattice input');
}

/** Runs a validating `decode`; when it throws, reports the input as dropped (see {@link dropBadInput}) and gives undefined. */
export function decodeOrDrop<T>(source: string, decode: () => T, extra?: Record<string, unknown>): T | undefined {
  try {
    return decode();
  } catch (err) {
    dropBadInput(source, err, extra);
    return undefined;
  }
}
