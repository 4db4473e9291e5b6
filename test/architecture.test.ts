import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/server-process.js";

const run = promisify(execFile);
const script = join(repoRoot, "scripts", "check-imports.mjs");

async function check(root?: string) {
  try {
    const { stdout } = await run(process.execPath, [script, ...(root ? ["--root", root] : [])]);
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, out: e.stderr };
  }
}

describe("the import rules of docs/architecture.md", () => {
  it("hold for the repository", async () => {
    expect(await check()).toEqual({ code: 0, out: "import rules: ok\n" });
  });

  it("catch a pure module importing a Node built-in and a store reaching into the API", async () => {
    const root = mkdtempSync(join(tmpdir(), "pw-imports-"));
    for (const dir of ["model", "store", "api"]) mkdirSync(join(root, "src", dir), { recursive: true });
    writeFileSync(join(root, "src/model/a.ts"), 'import { readFileSync } from "node:fs";\n');
    writeFileSync(join(root, "src/api/app.ts"), "export const x = 1;\n");
    writeFileSync(join(root, "src/store/b.ts"), 'import { x } from "../api/app.js";\n');
    const result = await check(root);
    expect(result.code).toBe(1);
    expect(result.out).toContain("src/model/a.ts: imports 'node:fs', but model/ is pure");
    expect(result.out).toContain(
      "src/store/b.ts: imports '../api/app.js', but store/ may only import model, engine, buildspec, codebuild, lib",
    );
  });

  it("catch pure modules using bare built-ins, npm packages they may not, and globals that read the world", async () => {
    const root = mkdtempSync(join(tmpdir(), "pw-imports-"));
    for (const dir of ["engine", "buildspec", "runtime", "store"])
      mkdirSync(join(root, "src", dir), { recursive: true });
    writeFileSync(join(root, "src/engine/events.ts"), 'import { EventEmitter } from "events";\n');
    writeFileSync(join(root, "src/engine/net.ts"), 'import * as net from "net";\n');
    writeFileSync(join(root, "src/engine/pkg.ts"), 'import { parse } from "yaml";\n');
    writeFileSync(join(root, "src/buildspec/ok.ts"), 'import { parse } from "yaml";\n');
    writeFileSync(
      join(root, "src/engine/clock.ts"),
      '// Date.now() in a comment is fine\nconst s = "Math.random()";\nexport const t = () => Date.now() + Math.random();\nsetTimeout(() => {}, 1);\nexport const e = process.env.X;\n',
    );
    writeFileSync(join(root, "src/store/run-store-types.ts"), "export type X = 1;\n");
    writeFileSync(
      join(root, "src/runtime/uses.ts"),
      'import type { X } from "../store/run-store-types.js";\n',
    );
    const result = await check(root);
    expect(result.code).toBe(1);
    expect(result.out).toContain("src/engine/events.ts: imports 'events', but engine/ is pure");
    expect(result.out).toContain("src/engine/net.ts: imports 'net', but engine/ is pure");
    expect(result.out).toContain(
      "src/engine/pkg.ts: imports 'yaml', but engine/ is pure and may use only no npm packages",
    );
    expect(result.out).not.toContain("src/buildspec/ok.ts");
    for (const what of ["Date.now()", "Math.random()", "timers", "process"]) {
      expect(result.out).toContain(`src/engine/clock.ts: uses ${what}, but engine/ is pure`);
    }
    // The store's per-aggregate contract files are as public as types.ts.
    expect(result.out).not.toContain("src/runtime/uses.ts");
  });
});
