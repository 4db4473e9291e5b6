/**
 * Mutual exclusion per key inside this process: `run(key, work)` starts `work` once every earlier
 * `run` of the same key has settled; different keys never wait on each other. Entries are
 * dropped when their queue empties, so the map holds only keys with work in flight.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => {});
    this.#tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /**
   * Takes the lock and hands back its release: for work whose end is known only later (a push
   * ends when git http-backend exits, after the response has streamed). Call `release` exactly once.
   */
  async acquire(key: string): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    void this.run(key, () => {
      entered();
      return held;
    });
    await inside;
    return release;
  }
}
