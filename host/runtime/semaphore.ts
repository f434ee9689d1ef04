/** A counting semaphore whose limit can change at run time (`max_instances` of a component). */
export class Semaphore {
  #limit: number;
  #used = 0;
  readonly #queue: (() => void)[] = [];
  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }
  setLimit(limit: number): void {
    this.#limit = Math.max(1, limit);
    this.#drain();
  }
  async acquire(): Promise<() => void> {
    if (this.#used >= this.#limit) await new Promise<void>((r) => this.#queue.push(r));
    else this.#used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used--;
      this.#drain();
    };
  }
  #drain(): void {
    while (this.#used < this.#limit && this.#queue.length) {
      this.#used++;
      this.#queue.shift()?.();
    }
  }
}
