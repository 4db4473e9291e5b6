import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, repoRoot, type ServerProcess, startServerProcess } from "../support/server-process.js";

// The README's walk-through, run as written (issue 14, item 7): every ```sh block of its
// "Walk-through" section, in order, in one bash session from the root of the checkout, against a
// fresh server. The only change is the server's address: the README's 127.0.0.1:4577 becomes the
// test server's free port. Each block's output is checked for what the README says it shows.

const AWS = "/usr/bin/aws";
const haveCli = existsSync(AWS);

export function walkThroughBlocks(readme: string): string[] {
  const start = readme.indexOf("## Walk-through");
  const rest = readme.slice(start + 1);
  const section = rest.slice(0, rest.search(/\n##+ /u));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/gu)].map((m) => m[1]!);
}

describe.skipIf(!haveCli)("the README's walk-through", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server?.kill();
    if (server) removeDir(server.dataDir);
  });

  it("runs every command as written, in order, and shows what the README says", () => {
    const blocks = walkThroughBlocks(readFileSync(join(repoRoot, "README.md"), "utf8"));
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    const script = [
      "set -euo pipefail",
      ...blocks.map(
        (b, i) => `echo "::block ${i}::"\n${b.replaceAll("http://127.0.0.1:4577", server.endpoint)}`,
      ),
      'echo "::end::"',
    ].join("\n");
    const result = spawnSync("bash", ["-c", script], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 240_000,
      // Debian's awscli first (a developer's PATH may hold another `aws`), and this node for npx.
      env: {
        ...process.env,
        PATH: `/usr/bin:${dirname(process.execPath)}:${process.env.PATH}`,
        NO_COLOR: "1",
      },
    });
    const out = result.stdout;
    const context = `${out.slice(-4000)}\n--- stderr ---\n${result.stderr.slice(-3000)}\n--- server ---\n${server.output().slice(-2000)}`;
    expect(result.status, context).toBe(0);
    expect(out, context).toContain("::end::");
    const block = (i: number) => out.slice(out.indexOf(`::block ${i}::`), out.indexOf(`::block ${i + 1}::`));

    expect(block(1)).toContain(`${server.endpoint}/v1/repos/app`);
    expect(block(2)).toMatch(/"app-build"\s+"app"/u);
    // Waiting at the approval: Source and Build succeeded.
    expect(block(3)).toMatch(/Source\tSucceeded\nBuild\tSucceeded\nApprove\tInProgress/u);
    for (const line of ["Source\tSource\tSucceeded", "Build\tBuild\tSucceeded", "Approve\tGate\tSucceeded"])
      expect(block(3)).toContain(line);
    // The push started an execution before it returned.
    expect(block(4)).toMatch(/^InProgress\t\S+\trelease 1\.1\.0$/mu);
    // The server-side build: succeeded, and the parameter's value is masked in its log.
    expect(block(5)).toContain("SUCCEEDED\tCOMPLETED");
    expect(block(5)).toContain("Hello from CodeBuild on Pipewright");
    expect(block(5)).toContain("the token is ***");
    expect(out).not.toContain("s3cret-value");
    // The local build and the offline validation.
    expect(block(6)).toMatch(/SUCCEEDED/u);
    expect(result.stderr).toContain("examples/pipeline.json: valid (0 errors, 0 warnings)");
  }, 300_000);
});
