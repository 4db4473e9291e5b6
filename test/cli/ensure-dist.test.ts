import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { removeDir, repoRoot } from "../support/server-process.js";

// `npm start` runs scripts/ensure-dist.mjs first: no build when dist/ is fresh, one build when
// it is missing or older than a source file. Checked on a small tree whose `build` script
// counts its runs.
const run = promisify(execFile);
const script = join(repoRoot, "scripts", "ensure-dist.mjs");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), "pw-ensure-dist-"));
  dirs.push(root);
  mkdirSync(join(root, "src", "main"), { recursive: true });
  writeFileSync(join(root, "src", "main", "cli.ts"), "export {};\n");
  writeFileSync(join(root, "tsconfig.build.json"), "{}\n");
  const build =
    "const fs=require('fs');fs.mkdirSync('dist/main',{recursive:true});fs.writeFileSync('dist/main/cli.js','');fs.appendFileSync('builds','x')";
  writeFileSync(
    join(root, "package.json"),
    JSON.stringify({ name: "t", scripts: { build: `node -e "${build}"` } }),
  );
  return root;
}

const builds = (root: string) => {
  try {
    return readFileSync(join(root, "builds"), "utf8").length;
  } catch {
    return 0;
  }
};

describe("npm start's dist check", () => {
  it("builds when dist/ is missing or stale, and not when it is fresh", async () => {
    const root = tree();
    const first = await run(process.execPath, [script, "--root", root]);
    expect(first.stderr).toBe("pipewright: dist/ is missing; building (npm run build)\n");
    expect(builds(root)).toBe(1);

    const fresh = await run(process.execPath, [script, "--root", root]);
    expect(fresh.stderr).toBe("");
    expect(builds(root)).toBe(1);

    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, "src", "main", "cli.ts"), later, later);
    const stale = await run(process.execPath, [script, "--root", root]);
    expect(stale.stderr).toBe("pipewright: src/main/cli.ts is newer than dist/; building (npm run build)\n");
    expect(builds(root)).toBe(2);
  });
});
