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
});
