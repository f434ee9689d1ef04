/**
 * @module capabilities/messaging-nats
 * `weft+builtin://messaging-nats`: `wasmcloud:messaging` consumer and handler @0.2.0 over NATS, on connections of its
 * own (`cluster_uris`, `client_jwt`/`client_seed`, `client_creds`; by default the lattice's NATS with the host's
 * credentials), never the host's. A component may publish and request only on its consumer link's
 * `PUBLISH_SUBJECTS` and on the reply-to of a message being delivered to it; reserved subjects (`wasmbus.>`, `$*.>`,
 * `wadm.>`, `wasmcloud.>`, other clients' `_INBOX.>`) and malformed ones get a `[MSG_SUBJECT_DENIED] …` error value.
 *
 * ```sh
 * weft start provider weft+builtin://messaging-nats nats
 * weft config put sub-cfg SUBSCRIPTIONS='echo.>|echoers'
 * weft link put nats echo wasmcloud messaging --interface handler --source-config sub-cfg
 * weft link put echo nats wasmcloud messaging --interface consumer     # may answer the messages it handles
 * weft config put pub-cfg PUBLISH_SUBJECTS='orders.>,audit.echo'        # and, with this, publish there too
 * weft link put echo nats wasmcloud messaging --interface consumer --target-config pub-cfg
 * weft pub echo.hi 'hello' --reply-timeout 2000
 * ```
 */
export { NatsMessagingProvider, parseSubscriptions } from './provider.ts';
/** The subject rules as pure functions: pattern matching, reserved subjects, `PUBLISH_SUBJECTS` parsing, the check of one use. */
export {
  checkSubjectUse,
  malformedSubject,
  parsePublishSubjects,
  reservedBy,
  subjectMatches,
  MAX_SUBJECT_LENGTH,
  RESERVED_SUBJECTS,
} from './subject-policy.ts';
export type { SubjectRefusal, SubjectUse } from './subject-policy.ts';
