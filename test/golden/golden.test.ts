import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replay } from "../../src/engine/apply-event.js";
import type { ExecutionEvent } from "../../src/engine/events.js";

/**
 * Recorded histories (STYLE §2.13): today's applyEvent must rebuild the state each history had
 * when it was recorded. When events change, add new goldens; never rewrite these.
 */
const dir = import.meta.dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort();

describe("golden histories", () => {
  it("has recorded histories to replay", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  for (const file of files) {
    it(`replays ${file} to its recorded state`, () => {
      const golden = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
        events: ExecutionEvent[];
        state: unknown;
      };
      expect(golden.events.length).toBeGreaterThan(3);
      expect(replay(golden.events)).toEqual(golden.state);
    });
  }
});
