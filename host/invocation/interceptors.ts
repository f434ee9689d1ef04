/**
 * What every invocation of a component on this host goes through, wherever it is served: the export check (unknown
 * names are refused before the policy service and metrics see them), the policy service's `performInvocation`
 * decision, a span under the caller's `traceparent`, the metrics, and a log line for a guest's own failure. Calls run
 * on the main thread go through `run`; lattice calls served in the guest workers do the same steps there and come
 * back as `report`s (metrics, spans, failures) and `authorize` questions.
 */
import { isGuestFault } from '../../lattice/index.ts';
import { UNKNOWN_OPERATION } from '../admin/metrics.ts';
import type { HostMetrics } from '../admin/metrics.ts';
import type { Tracer } from '../admin/tracing.ts';
import type { Logger } from '../logger.ts';
import { authorizeInvocation } from '../policy/index.ts';
import type { InvocationTarget, PolicyPort } from '../policy/index.ts';
import type { CallContext, HttpStreams, RuntimePort, ServedCall } from '../workloads/runtime-port.ts';

export interface InterceptorDeps {
  hostId: string;
  runtime: RuntimePort;
  logger: Logger;
  metrics?: HostMetrics;
  tracer?: Tracer;
  policy?: PolicyPort;
  /** What the policy service is told of a running component (undefined: not running). */
  targetOf: (id: string) => InvocationTarget | undefined;
}

export class Interceptors {
  readonly #d: InterceptorDeps;
  constructor(d: InterceptorDeps) {
    this.#d = d;
  }

  /** Asks the policy service (when one is set) whether `operation` may be called on `id`. */
  async authorize(id: string, operation: string): Promise<void> {
    const target = this.#d.targetOf(id);
    if (!this.#d.policy || !target) return;
    await authorizeInvocation(this.#d.policy, target, operation);
  }

  /** What the runtime asks and reports for the lattice calls its guest workers serve (`RuntimePort.setLatticeHooks`). */
  latticeHooks(lattice: string) {
    return {
      lattice,
      authorize: this.#d.policy ? (id: string, op: string) => this.authorize(id, op) : undefined,
      report: (served: ServedCall[]) => this.report(served),
      spans: this.#d.tracer?.exporting ?? false,
    };
  }

  /** Runs a call on the main thread: one span per invocation, child of the caller's `traceparent`. */
  async run(id: string, operation: string, args: unknown[], traceparent?: string, http?: HttpStreams) {
    const span = this.#d.tracer?.start(`${id} ${operation}`, traceparent, {
      'weft.component_id': id,
      'rpc.method': operation,
      'weft.host_id': this.#d.hostId,
    });
    try {
      const ctx =
        span || http ? { traceparent: span?.traceparent, traceId: span?.context.traceId, ...http } : undefined;
      const out = await this.#measured(id, operation, args, ctx);
      span?.end();
      return out;
    } catch (err) {
      const e = err as Error & { code?: unknown };
      const code = typeof e.code === 'string' ? e.code : 'ERROR';
      span?.end({ code, message: e.message });
      this.#failed(id, operation, code, e.message, span?.context.traceId);
      throw err;
    }
  }

  /** Lattice calls served in the workers: their metrics and failures, as if they had been run here. */
  report(served: ServedCall[]): void {
    for (const s of served) {
      this.#d.metrics?.observe(s.cid, s.unknown ? UNKNOWN_OPERATION : s.op, s.seconds, s.code);
      if (s.span && this.#d.tracer) {
        const { traceId, spanId, parent, start } = s.span;
        const attrs = { 'weft.component_id': s.cid, 'rpc.method': s.op, 'weft.host_id': this.#d.hostId };
        const err = s.code ? { code: s.code, message: s.message ?? '' } : undefined;
        const ctx = { traceId, spanId, sampled: true };
        this.#d.tracer.record(`${s.cid} ${s.op}`, ctx, parent, start, start + s.seconds * 1000, attrs, err);
      }
      if (s.code) this.#failed(s.cid, s.op, s.code, s.message ?? '');
    }
  }

  #failed(id: string, operation: string, code: string, message: string, traceId?: string): void {
    const guest = isGuestFault({ code }); // the guest's own failure is worth a warning; a caller's mistake is not
    this.#d.logger[guest ? 'warn' : 'debug'](
      { component_id: id, function: operation, trace_id: traceId, code, err: message },
      guest ? 'guest failed' : 'invocation failed',
    );
  }

  async #measured(id: string, operation: string, args: unknown[], ctx?: CallContext): Promise<unknown> {
    const rt = this.#d.runtime;
    // refused before the policy service (a cache entry per name) and metrics (a label per name) see a caller's name
    await (async () => rt.resolveExport?.(id, operation))().catch((err: { code?: unknown }) => {
      this.#d.metrics?.observe(id, UNKNOWN_OPERATION, 0, String(err.code));
      throw err;
    });
    await this.authorize(id, operation);
    const m = this.#d.metrics;
    if (!m) return rt.invoke(id, operation, args, ctx);
    const t0 = performance.now();
    try {
      const out = await rt.invoke(id, operation, args, ctx);
      m.observe(id, operation, (performance.now() - t0) / 1000);
      return out;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      m.observe(id, operation, (performance.now() - t0) / 1000, typeof code === 'string' ? code : 'UNKNOWN');
      throw err;
    }
  }
}
