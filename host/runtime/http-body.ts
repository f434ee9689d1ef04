/** Main-thread side of a streamed request body: sends its chunks to the guest worker as they arrive. */
import type { ToWorker } from './worker-protocol.ts';

/** Bytes sent ahead of what the guest has read; past it, reading from the client pauses (TCP backpressure). */
const WINDOW = 1024 * 1024;

/** Pumps one request body into one invocation, at most {@link WINDOW} bytes ahead of the guest's reads. */
export class BodyPump {
  readonly #post: (m: ToWorker, transfer?: ArrayBuffer[]) => void;
  readonly #id: number;
  #acked = 0;
  #stopped = false;
  #wake: (() => void) | undefined;

  constructor(post: (m: ToWorker, transfer?: ArrayBuffer[]) => void, id: number) {
    this.#post = post;
    this.#id = id;
  }

  /** The guest has read `consumed` bytes. */
  ack(consumed: number): void {
    this.#acked = consumed;
    this.#wake?.();
  }

  /** The invocation is over: stop reading the body. */
  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  async run(source: AsyncIterable<Uint8Array>): Promise<void> {
    let sent = 0;
    try {
      for await (const c of source) {
        if (this.#stopped) return;
        const chunk = new Uint8Array(c); // its own buffer (a socket chunk is often a slice of a pooled one), moved
        sent += chunk.byteLength; // before the move detaches it
        this.#post({ t: 'httpBody', id: this.#id, chunk }, [chunk.buffer]);
        while (!this.#stopped && sent - this.#acked > WINDOW) await new Promise<void>((r) => (this.#wake = r));
      }
      if (!this.#stopped) this.#post({ t: 'httpBodyEnd', id: this.#id });
    } catch (err) {
      if (!this.#stopped)
        this.#post({ t: 'httpBodyEnd', id: this.#id, error: (err as Error).message || 'the request body broke off' });
    }
  }
}
