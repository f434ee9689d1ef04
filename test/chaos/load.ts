/** Steady load over the lattice: GET /counter/{key} on the counter app, recording every acknowledged value. */
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

export class Load {
  readonly #nc: NatsConnection;
  readonly #lattice: string;
  readonly #key: string;
  #stop = false;
  #runners: Promise<void>[] = [];
  readonly result: LoadResult = { ok: 0, errors: 0, acked: [], longestGapMs: 0, errorCodes: {} };
  #lastOk = Date.now();

  constructor(nc: NatsConnection, lattice: string, key: string) {
    this.#nc = nc;
    this.#lattice = lattice;
    this.#key = key;
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
        const r = (await invokeComponent(this.#nc, this.#lattice, 'counter', 'wasi:http/incoming-handler.handle', [{ method: 'GET', url: `http://chaos/counter/${this.#key}`, headers: [] }], { timeoutMs: 3000 })) as { status: number; body: Uint8Array };
        if (r.status !== 200) throw Object.assign(new Error(`status ${r.status}`), { code: `HTTP_${r.status}` });
        this.result.acked.push(Number(new TextDecoder().decode(r.body).trim()));
        this.result.ok++;
        const now = Date.now();
        this.result.longestGapMs = Math.max(this.result.longestGapMs, now - this.#lastOk);
        this.#lastOk = now;
      } catch (err) {
        this.result.errors++;
        const code = String((err as { code?: string }).code ?? 'ERR');
        this.result.errorCodes[code] = (this.result.errorCodes[code] ?? 0) + 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}
