import type { Logger } from "../../lib/logger.js";
import type { BuildLogLine, BuildStore, Scope } from "../../store/types.js";

type Listener = (line: BuildLogLine | "end") => void;

const FLUSH_MS = 100;
const FLUSH_LINES = 500;
const RECENT_LINES = 10_000;

/**
 * Build logs: lines of running builds are numbered, kept in the store in batches (every 100 ms
 * or 500 lines) and handed at once to live subscribers (the log endpoint's followers).
 * Subscribers get every line after they subscribe, then "end" when the build's log closes.
 */
export class BuildLogHub {
  private readonly open = new Map<
    string,
    {
      scope: Scope;
      seq: number;
      pending: BuildLogLine[];
      /** The latest lines, so readers see lines whose write is still in flight. */
      recent: BuildLogLine[];
      timer?: NodeJS.Timeout;
      writing: Promise<void>;
    }
  >();
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly store: BuildStore,
    private readonly logger: Logger,
  ) {}

  /** Starts a build's log (its first line gets seq 1). */
  begin(scope: Scope, buildId: string): void {
    this.open.set(buildId, { scope, seq: 0, pending: [], recent: [], writing: Promise.resolve() });
  }

  append(buildId: string, text: string): void {
    const log = this.open.get(buildId);
    if (!log) return;
    const line = { seq: ++log.seq, text };
    log.pending.push(line);
    log.recent.push(line);
    if (log.recent.length > 2 * RECENT_LINES) log.recent = log.recent.slice(-RECENT_LINES);
    for (const listener of this.listeners.get(buildId) ?? []) listener(line);
    if (log.pending.length >= FLUSH_LINES) this.flush(buildId);
    else log.timer ??= setTimeout(() => this.flush(buildId), FLUSH_MS);
  }

  /** Writes what is pending and closes the log; resolves once it is stored. */
  async end(buildId: string): Promise<void> {
    const log = this.open.get(buildId);
    if (!log) return;
    this.flush(buildId);
    await log.writing;
    this.open.delete(buildId);
    for (const listener of this.listeners.get(buildId) ?? []) listener("end");
    this.listeners.delete(buildId);
  }

  /** Whether the build's log is still being written. */
  isOpen(buildId: string): boolean {
    return this.open.has(buildId);
  }

  /** Live lines of a running build; undefined when its log is closed (read the store instead). */
  subscribe(buildId: string, listener: Listener): (() => void) | undefined {
    if (!this.open.has(buildId)) return undefined;
    const set = this.listeners.get(buildId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(buildId, set);
    return () => set.delete(listener);
  }

  /** Lines after `afterSeq`: stored ones, then those of a running build still on their way to the store. */
  async read(scope: Scope, buildId: string, afterSeq: number, limit: number): Promise<BuildLogLine[]> {
    const stored = await this.store.readLog(scope, buildId, afterSeq, limit);
    const log = this.open.get(buildId);
    if (!log || stored.length >= limit) return stored;
    const last = stored.at(-1)?.seq ?? afterSeq;
    const fresh = log.recent.filter((l) => l.seq > last).slice(0, limit - stored.length);
    return [...stored, ...fresh];
  }

  private flush(buildId: string): void {
    const log = this.open.get(buildId);
    if (!log) return;
    if (log.timer) clearTimeout(log.timer);
    log.timer = undefined;
    if (log.pending.length === 0) return;
    const batch = log.pending;
    log.pending = [];
    log.writing = log.writing.then(() =>
      this.store.appendLog(log.scope, buildId, batch).catch((error: unknown) => {
        this.logger.error("cannot store build log lines", { buildId, error: String(error) });
      }),
    );
  }
}
