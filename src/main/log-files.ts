import { appendFile, mkdir, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { LogEvent, LogEventStore, LogGroupSummary, LogStreamSummary } from "../runtime/ecs/task-logs.js";
import type { Scope } from "../store/types.js";

/**
 * The LogEventStore of the server: one JSON-lines file per stream under
 * `<dir>/<account>/<region>/<group>/<stream>.jsonl`, names percent-encoded (a group `/ecs/web`
 * or a stream `ecs/web/<id>` is one path segment, so no name reaches outside `dir`). A group is
 * a directory, its creation time the directory's. An append is one appendFile of whole lines.
 * Counts are cached per stream (one writer per stream: its task).
 */
export function createFileLogStore(dir: string): LogEventStore {
  const counts = new Map<string, number>();
  const groupDir = (scope: Scope, group: string) =>
    join(dir, encode(scope.accountId), encode(scope.region), encode(group));
  const streamFile = (scope: Scope, group: string, stream: string) =>
    join(groupDir(scope, group), `${encode(stream)}.jsonl`);

  async function read(file: string): Promise<LogEvent[] | undefined> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const events: LogEvent[] = [];
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const e = JSON.parse(line) as { t: number; m: string; i: number };
      events.push({ timestamp: e.t, message: e.m, ingestionTime: e.i });
    }
    return events;
  }

  return {
    async append(scope, group, stream, events) {
      if (events.length === 0) return;
      const file = streamFile(scope, group, stream);
      await mkdir(groupDir(scope, group), { recursive: true });
      const now = Date.now();
      await appendFile(
        file,
        events.map((e) => `${JSON.stringify({ t: e.timestamp, m: e.message, i: now })}\n`).join(""),
      );
      counts.set(file, (counts.get(file) ?? (await read(file))!.length - events.length) + events.length);
    },

    async count(scope, group, stream) {
      const file = streamFile(scope, group, stream);
      const known = counts.get(file);
      if (known !== undefined) return known;
      const n = (await read(file))?.length ?? 0;
      counts.set(file, n);
      return n;
    },

    async groups(scope) {
      const base = join(dir, encode(scope.accountId), encode(scope.region));
      const names = await readdir(base).catch(() => [] as string[]);
      const groups: LogGroupSummary[] = [];
      for (const name of names) {
        const info = await stat(join(base, name));
        const files = await readdir(join(base, name));
        let bytes = 0;
        for (const f of files) bytes += (await stat(join(base, name, f))).size;
        groups.push({
          logGroupName: decode(name),
          creationTime: Math.floor(info.birthtimeMs || info.ctimeMs),
          storedBytes: bytes,
        });
      }
      return groups.sort((a, b) => (a.logGroupName < b.logGroupName ? -1 : 1));
    },

    async streams(scope, group) {
      const base = groupDir(scope, group);
      let files: string[];
      try {
        files = await readdir(base);
      } catch {
        return undefined;
      }
      const streams: LogStreamSummary[] = [];
      for (const f of files.filter((x) => x.endsWith(".jsonl"))) {
        const path = join(base, f);
        const info = await stat(path);
        const events = (await read(path)) ?? [];
        const first = events[0];
        const last = events.at(-1);
        streams.push({
          logStreamName: decode(f.slice(0, -".jsonl".length)),
          creationTime: Math.floor(info.birthtimeMs || info.ctimeMs),
          ...(first ? { firstEventTimestamp: first.timestamp } : {}),
          ...(last ? { lastEventTimestamp: last.timestamp, lastIngestionTime: last.ingestionTime } : {}),
          storedBytes: info.size,
        });
      }
      return streams.sort((a, b) => (a.logStreamName < b.logStreamName ? -1 : 1));
    },

    events: (scope, group, stream) => read(streamFile(scope, group, stream)),
  };
}

/** A name as one safe path segment (`.` and `..` included: they are encoded too). */
function encode(name: string): string {
  return encodeURIComponent(name).replace(/\./gu, "%2E");
}

function decode(segment: string): string {
  return decodeURIComponent(segment);
}
