/**
 * Tasks that run one after another per key (scale commands of one component id, link changes of one HTTP address,
 * increments of one key): a task starts once the previous task of its key has settled, whether it succeeded or not,
 * and its own result or rejection goes to its caller only. A key with nothing queued holds no memory.
 */
export class KeyedSerial {
  /** Per key, the end of its queue: settles when its last task does, and never rejects. */
  readonly #tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const run = (this.#tails.get(key) ?? Promise.resolve()).then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return run;
  }

  /** Keys with a task queued or running. */
  get size(): number {
    return this.#tails.size;
  }
}
