import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/server-process.js";

const run = promisify(execFile);
const script = join(repoRoot, "scripts", "check-imports.mjs");

describe("the load balancer's import rules", () => {
  it("keep load-balancer/core pure and let runtime reach only its seam", async () => {
    const root = mkdtempSync(join(tmpdir(), "pw-imports-lb-"));
    for (const dir of ["load-balancer/core", "runtime", "lib"])
      mkdirSync(join(root, "src", dir), { recursive: true });
    writeFileSync(join(root, "src/lib/clock.ts"), "export type Clock = 1;\n");
    writeFileSync(
      join(root, "src/load-balancer/core/state.ts"),
      'import { request } from "node:http";\nexport const t = Date.now();\n',
    );
    writeFileSync(
      join(root, "src/load-balancer/core/ok.ts"),
      'import type { Clock } from "../../lib/clock.js";\n',
    );
    writeFileSync(join(root, "src/load-balancer/types.ts"), "export type P = 1;\n");
    writeFileSync(join(root, "src/load-balancer/proxy.ts"), 'import { createServer } from "node:http";\n');
    writeFileSync(
      join(root, "src/runtime/uses.ts"),
      'import type { P } from "../load-balancer/types.js";\nimport { x } from "../load-balancer/proxy.js";\n',
    );
    const result = await run(process.execPath, [script, "--root", root]).then(
      () => ({ code: 0, out: "" }),
      (e: { code: number; stderr: string }) => ({ code: e.code, out: e.stderr }),
    );
    expect(result.code).toBe(1);
    const lines = result.out
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.trim())
      .sort();
    expect(lines).toEqual([
      "src/load-balancer/core/state.ts: imports 'node:http', but load-balancer/ is pure and may not use Node built-ins",
      "src/load-balancer/core/state.ts: uses Date.now(), but load-balancer/ is pure: take it from the caller",
      expect.stringMatching(
        /^src\/runtime\/uses.ts: imports '..\/load-balancer\/proxy.js', but runtime\/ may only import/,
      ),
    ]);
  });
});
