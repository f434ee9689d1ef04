/** Steady load: the counter app over the lattice (recording every acknowledged value) and the hello app over HTTP. */
import type { NatsConnection } from '@nats-io/transport-node';
import { invokeComponent } from '../../lattice/index.ts';

export interface LoadResult {
  ok: number;
  errors: number;
  acked: number[];
  /** Longest time (ms) without a successful request. */
  longestGapMs: number;
  errorCodes: Record<string, number>;
}

/** One call: resolves with the acknowledged counter value (or undefined when there is none), rejects on failure. */
type Call = () => Promise<number | undefined>;

export class Load {
  readonly #call: Call;
  #stop = false;
  #runners: Promise<void>[] = [];
  readonly result: LoadResult = { ok: 0, errors: 0, acked: [], longestGapMs: 0, errorCodes: {} };
  #lastOk = Date.now();

  constructor(call: Call) {
    this.#call = call;
  }

  /** GET /counter/{key} on the counter app through the lattice (what an application publishing to an actor does). */
  static counter(nc: NatsConnection, lattice: string, key: string): Load {
    return new Load(async () => {
      const r = (await invokeComponent(
        nc,
        lattice,
        'counter',
        'wasi:http/incoming-handler.handle',
        [{ method: 'GET', url: `http://chaos/counter/${key}`, headers: [] }],
        { timeoutMs: 3000 },
      )) as { status: number; body: Uint8Array };
      if (r.status !== 200) throw Object.assign(new Error(`status ${r.status}`), { code: `HTTP_${r.status}` });
      return Number(new TextDecoder().decode(r.body).trim());
    });
  }

  /** GET on the hello app's shared HTTP address (a new connection each time, so the kernel spreads them over hosts). */
  static http(url: string): Load {
    return new Load(async () => {
      const r = await fetch(url, { signal: AbortSignal.timeout(3000), headers: { connection: 'close' } });
      await r.arrayBuffer();
      if (r.status !== 200) throw Object.assign(new Error(`status ${r.status}`), { code: `HTTP_${r.status}` });
      return undefined;
    });
  }

  start(concurrency = 6): void {
    this.#lastOk = Date.now();
    this.#runners = Array.from({ length: concurrency }, () => this.#run());
  }

  async stop(): Promise<LoadResult> {
    this.#stop = true;
    await Promise.all(this.#runners);
    this.result.longestGapMs = Math.max(this.result.longestGapMs, Date.now() - this.#lastOk);
    return this.result;
  }

  async #run(): Promise<void> {
    while (!this.#stop) {
      try {
        const v = await this.#call();
        if (v !== undefined) this.result.acked.push(v);
        this.result.ok++;
        const now = Date.now();
        this.result.longestGapMs = Math.max(this.result.longestGapMs, now - this.#lastOk);
        this.#lastOk = now;
      } catch (err) {
        this.result.errors++;
        const e = err as { code?: unknown; name?: string; cause?: { code?: string } };
        const code = typeof e.code === 'string' ? e.code : (e.cause?.code ?? e.name ?? 'ERR'); // fetch timeouts are DOMException TimeoutError
        this.result.errorCodes[code] = (this.result.errorCodes[code] ?? 0) + 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}
