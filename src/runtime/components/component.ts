import type { Logger } from "../../lib/logger.js";

/**
 * A background loop, written as "do the work available now, then return" (STYLE §2.14). The
 * host decides when to call it again: every `intervalMs`, or at once when woken. `runOnce`
 * returns how much it did (jobs run, executions advanced), so tests can run components until
 * the system is quiet.
 */
export interface Component {
  readonly name: string;
  readonly intervalMs: number;
  runOnce(signal: AbortSignal): Promise<number>;
}

export interface ComponentHost {
  start(): void;
  /** Runs the named component again as soon as it is idle (e.g. a job was just enqueued). */
  wake(name: string): void;
  /** Stops scheduling and waits for running passes to return. */
  stop(): Promise<void>;
}

/**
 * Schedules components with timers. A pass that throws is logged and retried after a backoff
 * that doubles up to one minute, so a broken database does not spin the CPU.
 */
export function createComponentHost(components: readonly Component[], logger: Logger): ComponentHost {
  const controller = new AbortController();
  const loops = new Map<
    string,
    {
      timer?: NodeJS.Timeout;
      immediate?: NodeJS.Immediate;
      running?: Promise<void>;
      again: boolean;
      failures: number;
    }
  >();
  let started = false;

  function schedule(component: Component, delayMs: number): void {
    const loop = loops.get(component.name)!;
    if (controller.signal.aborted) return;
    clearTimeout(loop.timer);
    clearImmediate(loop.immediate);
    // A wake-up runs in the next turn of the event loop: setTimeout(0) would wait at least 1 ms,
    // which is most of an action's overhead when actions run one after another.
    if (delayMs <= 0) loop.immediate = setImmediate(() => run(component));
    else loop.timer = setTimeout(() => run(component), delayMs);
  }

  function run(component: Component): void {
    const loop = loops.get(component.name)!;
    if (loop.running) {
      loop.again = true;
      return;
    }
    loop.again = false;
    loop.running = component
      .runOnce(controller.signal)
      .then(
        () => {
          loop.failures = 0;
        },
        (error: unknown) => {
          loop.failures++;
          logger.error(`component ${component.name} failed`, {
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
            failures: loop.failures,
          });
        },
      )
      .finally(() => {
        loop.running = undefined;
        const backoff =
          loop.failures > 0 ? Math.min(60_000, component.intervalMs * 2 ** loop.failures) : undefined;
        schedule(component, backoff ?? (loop.again ? 0 : component.intervalMs));
      });
  }

  for (const c of components) loops.set(c.name, { again: false, failures: 0 });

  return {
    start() {
      if (started) return;
      started = true;
      for (const c of components) schedule(c, 0);
    },
    wake(name) {
      const component = components.find((c) => c.name === name);
      if (!component || !started || controller.signal.aborted) return;
      const loop = loops.get(name)!;
      if (loop.running) loop.again = true;
      else schedule(component, 0);
    },
    async stop() {
      controller.abort();
      for (const loop of loops.values()) {
        clearTimeout(loop.timer);
        clearImmediate(loop.immediate);
      }
      await Promise.all([...loops.values()].map((l) => l.running));
    },
  };
}
