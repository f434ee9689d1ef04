/**
 * Spans for invocations, exported as OTLP/HTTP JSON (`POST {endpoint}/v1/traces`) when an endpoint is configured
 * (`--otlp-endpoint`, or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT`). Without one, spans
 * still give every invocation a trace id for the logs and the `traceparent` of the calls it makes.
 */
import { childSpan, formatTraceparent, parseTraceparent } from '../../lattice/index.ts';
import type { TraceContext } from '../../lattice/index.ts';
import type { Logger } from '../logger.ts';

/** An open span: its context (for child calls and logs) and `end`. */
export interface Span {
  readonly context: TraceContext;
  readonly traceparent: string;
  end(error?: { code: string; message: string }): void;
}

interface Finished {
  name: string;
  ctx: TraceContext;
  parentSpanId?: string;
  kind: number;
  start: bigint;
  end: bigint;
  attributes: Record<string, string>;
  error?: { code: string; message: string };
}

const nowNs = (): bigint =>
  BigInt(Math.round(performance.timeOrigin * 1000)) * 1000n + BigInt(Math.round(performance.now() * 1e6));

/** Span kinds of OTLP. */
export const SpanKind = { Server: 2, Client: 3, Consumer: 5 } as const;

export class Tracer {
  readonly #endpoint: string | undefined;
  readonly #resource: Record<string, string>;
  readonly #logger: Logger;
  #queue: Finished[] = [];
  #timer: NodeJS.Timeout | undefined;

  /** `endpoint`: OTLP/HTTP base URL (e.g. `http://127.0.0.1:4318`) or a full `…/v1/traces` URL. */
  constructor(o: { endpoint?: string; resource: Record<string, string>; logger: Logger }) {
    const e = o.endpoint?.replace(/\/+$/, '');
    this.#endpoint = e ? (e.endsWith('/v1/traces') ? e : `${e}/v1/traces`) : undefined;
    this.#resource = o.resource;
    this.#logger = o.logger;
  }

  /** Starts a span under `parent` (a `traceparent` header or a context); a new trace when there is none. */
  start(
    name: string,
    parent: string | TraceContext | undefined,
    attributes: Record<string, string> = {},
    kind: number = SpanKind.Server,
  ): Span {
    const p = typeof parent === 'string' ? parseTraceparent(parent) : parent;
    const ctx = childSpan(p);
    const start = nowNs();
    return {
      context: ctx,
      traceparent: formatTraceparent(ctx),
      end: (error) => {
        if (!this.#endpoint || !ctx.sampled) return;
        this.#queue.push({ name, ctx, parentSpanId: p?.spanId, kind, start, end: nowNs(), attributes, error });
        if (this.#queue.length >= 512) void this.flush();
        else this.#timer ??= setTimeout(() => void this.flush(), 1000).unref();
      },
    };
  }

  /** True when spans are exported (an endpoint is set): spans made elsewhere are worth reporting then. */
  get exporting(): boolean {
    return !!this.#endpoint;
  }

  /** Records a finished span made elsewhere (a lattice call served in a guest worker); times in ms since epoch. */
  record(
    name: string,
    ctx: TraceContext,
    parentSpanId: string | undefined,
    startMs: number,
    endMs: number,
    attributes: Record<string, string>,
    error?: { code: string; message: string },
  ): void {
    if (!this.#endpoint || !ctx.sampled) return;
    const ns = (ms: number): bigint => BigInt(Math.round(ms * 1000)) * 1000n;
    this.#queue.push({
      name,
      ctx,
      parentSpanId,
      kind: SpanKind.Server,
      start: ns(startMs),
      end: ns(endMs),
      attributes,
      error,
    });
    if (this.#queue.length >= 512) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), 1000).unref();
  }

  /** Sends the finished spans (also called on host stop). Export failures are logged, never thrown. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const spans = this.#queue.splice(0);
    if (!this.#endpoint || spans.length === 0) return;
    const attr = (o: Record<string, string>) =>
      Object.entries(o).map(([key, v]) => ({ key, value: { stringValue: v } }));
    const body = {
      resourceSpans: [
        {
          resource: { attributes: attr(this.#resource) },
          scopeSpans: [
            {
              scope: { name: 'weft' },
              spans: spans.map((s) => ({
                traceId: s.ctx.traceId,
                spanId: s.ctx.spanId,
                ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
                name: s.name,
                kind: s.kind,
                startTimeUnixNano: String(s.start),
                endTimeUnixNano: String(s.end),
                attributes: attr(s.error ? { ...s.attributes, 'error.type': s.error.code } : s.attributes),
                status: s.error ? { code: 2, message: `[${s.error.code}] ${s.error.message}` } : { code: 1 },
              })),
            },
          ],
        },
      ],
    };
    try {
      const r = await fetch(this.#endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      if (!r.ok) this.#logger.warn({ status: r.status, endpoint: this.#endpoint }, 'OTLP export refused');
    } catch (err) {
      this.#logger.warn({ err: (err as Error).message, endpoint: this.#endpoint }, 'OTLP export failed');
    }
  }
}
