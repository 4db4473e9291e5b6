import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "./run-scenario.js";

const root = import.meta.dirname;
const dirs = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d{2}-/u.test(d.name))
  .map((d) => d.name)
  .sort();

/** test/scenarios/NN-slug/{pipeline.json, expect.json}: the engine's behaviour, end to end, in memory. */
describe("execution scenarios", () => {
  it("has at least 30 scenarios", () => {
    expect(dirs.length).toBeGreaterThanOrEqual(30);
  });
  for (const dir of dirs) {
    it(dir, async () => {
      await runScenario(join(root, dir));
    });
  }
});
