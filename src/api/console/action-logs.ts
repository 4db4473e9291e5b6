/**
 * The log lines providers write for their action runs (ctx.log: a Lambda invoke action's function
 * log with its START/END/REPORT lines, an ECS deploy action's progress), kept in memory for the
 * console's action details: the newest `maxRuns` action runs, the last `maxBytes` of each.
 * A restart forgets them (the server log keeps every line).
 */
export interface ActionLogs {
  write(actionExecutionId: string, line: string): void;
  /** undefined: nothing kept for that run in this process. */
  read(actionExecutionId: string): { lines: string[]; truncated: boolean } | undefined;
}

interface Kept {
  lines: string[];
  bytes: number;
  truncated: boolean;
}

export function createActionLogs(maxRuns = 500, maxBytes = 64 * 1024): ActionLogs {
  // Map order is insertion order: the first entry is the oldest run.
  const runs = new Map<string, Kept>();
  return {
    write(id, line) {
      let kept = runs.get(id);
      if (!kept) {
        kept = { lines: [], bytes: 0, truncated: false };
        runs.set(id, kept);
        while (runs.size > maxRuns) runs.delete(runs.keys().next().value as string);
      }
      const text = line.length > maxBytes ? line.slice(-maxBytes) : line;
      kept.lines.push(text);
      kept.bytes += text.length + 1;
      while (kept.bytes > maxBytes && kept.lines.length > 1) {
        kept.bytes -= kept.lines.shift()!.length + 1;
        kept.truncated = true;
      }
    },
    read(id) {
      const kept = runs.get(id);
      return kept ? { lines: [...kept.lines], truncated: kept.truncated } : undefined;
    },
  };
}
