import { eventKind } from '../../../lattice/index.ts';
import type { CloudEvent } from '../../../lattice/index.ts';

/** Kinds that only say "still alive": counted into a status line per host, never listed one by one. */
export const ROUTINE_KINDS = new Set(['host_heartbeat', 'health_check_status', 'health_check_passed']);

/** Error codes of a metrics sample that mean the guest itself failed (a trap, a deadline, a lost worker). */
export const GUEST_FAULT_CODES = new Set(['COMP_TRAP', 'COMP_TIMEOUT', 'COMP_WORKER_LOST', 'COMP_OUT_OF_MEMORY']);

/** An event as the page lists it: the kind without wasmCloud's prefix, a failure flag. */
export interface LoggedEvent {
  kind: string;
  time: string;
  source: string;
  failure: boolean;
  data: Record<string, unknown>;
}

/** Routine traffic of one host: how many heartbeats and health checks, and when the last came. */
export interface RoutineStatus {
  source: string;
  heartbeats: number;
  health_checks: number;
  unhealthy: number;
  last: string;
}

/** What the events panel draws. */
export interface EventLogView {
  /** Recent events by kind (newest first within a kind). */
  groups: Record<string, LoggedEvent[]>;
  /** Failures (`*_failed`, unhealthy checks, guest faults), newest first: kept apart so routine events never push them out. */
  failures: LoggedEvent[];
  routine: RoutineStatus[];
}

const PER_KIND = 50;
const FAILURES = 200;
const MAX_DATA = 16 * 1024;

/** True for a failure: a `*_failed` kind, or a health check that says unhealthy. */
export function isFailure(kind: string, data: Record<string, unknown>): boolean {
  return kind.endsWith('_failed') || (kind === 'health_check_status' && data['healthy'] === false);
}

/**
 * The dashboard's event memory: routine events collapsed into one status per host, the others grouped by kind
 * (a bounded number each), failures in a list of their own.
 */
export class EventLog {
  readonly #groups = new Map<string, LoggedEvent[]>();
  readonly #failures: LoggedEvent[] = [];
  readonly #routine = new Map<string, RoutineStatus>();

  /** Files an event; returns it as logged, or undefined when it only updated a status line. */
  add(e: CloudEvent): LoggedEvent | undefined {
    const kind = eventKind(e);
    const raw = typeof e.data === 'object' && e.data !== null ? (e.data as Record<string, unknown>) : {};
    // the page shows a few fields of each event: one with a huge payload is kept without it
    const data = JSON.stringify(raw).length > MAX_DATA ? { truncated: true } : raw;
    const entry: LoggedEvent = {
      kind,
      time: String(e.time),
      source: String(e.source),
      failure: isFailure(kind, data),
      data,
    };
    if (ROUTINE_KINDS.has(kind) && !entry.failure) {
      const r = this.#routine.get(entry.source) ?? {
        source: entry.source,
        heartbeats: 0,
        health_checks: 0,
        unhealthy: 0,
        last: '',
      };
      if (kind === 'host_heartbeat') r.heartbeats++;
      else r.health_checks++;
      r.last = entry.time;
      this.#routine.set(entry.source, r);
      return undefined;
    }
    if (entry.failure) this.#push(this.#failures, entry, FAILURES);
    if (kind === 'health_check_status' || kind === 'health_check_failed') {
      const r = this.#routine.get(entry.source);
      if (r) r.unhealthy++;
    }
    const g = this.#groups.get(kind) ?? [];
    this.#groups.set(kind, g);
    this.#push(g, entry, PER_KIND);
    return entry;
  }

  /** Records a guest fault seen in a metrics sample (no lattice event reports those). */
  addGuestFault(source: string, componentId: string, code: string, count: number): LoggedEvent {
    const entry: LoggedEvent = {
      kind: 'guest_fault',
      time: new Date().toISOString(),
      source,
      failure: true,
      data: { component_id: componentId, error: code, count },
    };
    this.#push(this.#failures, entry, FAILURES);
    return entry;
  }

  /** Forgets the status line of a host that stopped. */
  forgetHost(source: string): void {
    this.#routine.delete(source);
  }

  view(): EventLogView {
    return {
      groups: Object.fromEntries(this.#groups),
      failures: [...this.#failures],
      routine: [...this.#routine.values()],
    };
  }

  #push(list: LoggedEvent[], e: LoggedEvent, max: number): void {
    list.unshift(e);
    if (list.length > max) list.pop();
  }
}
