import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CodePipelineClient, CreatePipelineCommand } from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDir, repoRoot } from "../support/server-process.js";

// The README's install from a clone: `npm ci` (whose `prepare` builds dist/), then
// `npm install -g .`, offline: the command is linked into npm's global bin (here a temporary
// prefix) and runs from any directory. The test passes --ignore-scripts because dist/ is built
// already (integration tests need it) and a second `prepare` would rewrite dist/ under the
// other tests; that `prepare` builds it is checked on package.json.
const run = promisify(execFile);
const dirs: string[] = [];
let prefix = "";
let home = "";
let pipewrightBin = "";

async function sh(file: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd,
      // HOME is a directory of the test's own: npm writes its cache and notices under it, which
      // must never land in the checkout (`npm pack` runs there).
      env: { PATH: `${join(prefix, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: home, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function tempDir(name: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), name)));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const d of dirs) removeDir(d);
});

describe("the pipewright command installed from a clone", () => {
  beforeAll(async () => {
    prefix = tempDir("pw-prefix-");
    home = tempDir("pw-home-");
    const npmCache = process.env.npm_config_cache ?? join(process.env.HOME ?? "/root", ".npm");
    const installed = await sh(
      "npm",
      [
        "install",
        "-g",
        "--prefix",
        prefix,
        "--offline",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        repoRoot,
      ],
      tempDir("pw-install-cwd-"),
      { npm_config_cache: npmCache },
    );
    expect(installed.code, installed.stderr).toBe(0);
    pipewrightBin = join(prefix, "bin", "pipewright");
  }, 120_000);

  it("has a prepare script that builds dist/, which the packed tarball contains", async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    expect(pkg.scripts.prepare).toBe("npm run build");
    expect(pkg.scripts.start).not.toContain("npm run build");
    const packed = await sh("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], repoRoot);
    expect(packed.code, packed.stderr).toBe(0);
    const files = (JSON.parse(packed.stdout)[0].files as { path: string }[]).map((f) => f.path);
    expect(files).toContain("bin/pipewright.js");
    expect(files).toContain("dist/main/cli.js");
    expect(files).toContain("dist/cli/commands/build.js");
    expect(files.filter((f) => f.startsWith("src/") || f.endsWith(".test.js"))).toEqual([]);
    expect(existsSync(join(repoRoot, ".npm"))).toBe(false);
  });

  it("builds, validates and talks to a server from a directory outside the checkout", async () => {
    const project = tempDir("pw-user-repo-");
    writeFileSync(
      join(project, "buildspec.yml"),
      "version: 0.2\nphases:\n  build:\n    commands:\n      - echo built outside the checkout\n",
    );
    const built = await sh(pipewrightBin, ["build", "--no-cache"], project);
    expect(built.code, built.stdout + built.stderr).toBe(0);
    expect(built.stdout).toContain("\nbuilt outside the checkout\n");
    expect(built.stdout).toContain("Build SUCCEEDED in");

    writeFileSync(
      join(project, "pipeline.json"),
      readFileSync(join(repoRoot, "test/fixtures/pipelines/basic-v1.json")),
    );
    const valid = await sh(pipewrightBin, ["validate", "pipeline.json"], project);
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
    writeFileSync(join(project, "broken.json"), JSON.stringify({ pipeline: { name: "x", stages: [] } }));
    const invalid = await sh(pipewrightBin, ["validate", "broken.json"], project);
    expect(invalid.code).toBe(1);

    // The installed command serves too; the client commands reach it.
    const { spawn } = await import("node:child_process");
    const server = spawn(
      pipewrightBin,
      ["serve", "--port", "0", "--data-dir", join(project, ".pipewright")],
      {
        cwd: project,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const endpoint = await new Promise<string>((done, fail) => {
        let out = "";
        server.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m?.[1]) done(m[1]);
        });
        server.once("exit", (code) => fail(new Error(`server exited with ${code}: ${out}`)));
      });
      const env = { PIPEWRIGHT_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" };
      const none = await sh(pipewrightBin, ["pipelines", "--regions", "us-east-1"], project, env);
      expect(none.code, none.stderr).toBe(0);
      expect(none.stdout).toBe("No pipelines in us-east-1.\n");
      const declaration = JSON.parse(readFileSync(join(project, "pipeline.json"), "utf8"));
      await new CodePipelineClient({
        endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "x", secretAccessKey: "y" },
      }).send(new CreatePipelineCommand(declaration));
      const listed = await sh(pipewrightBin, ["pipelines", "--json"], project, env);
      expect(listed.code, listed.stderr).toBe(0);
      const name = declaration.pipeline.name as string;
      expect(JSON.parse(listed.stdout).pipelines.map((p: { name: string }) => p.name)).toEqual([name]);
      const status = await sh(pipewrightBin, ["status", name], project, env);
      expect(status.stdout).toContain(`Pipeline ${name} (version 1)`);
      const missing = await sh(pipewrightBin, ["status", "nope"], project, env);
      expect(missing.code).toBe(3);
    } finally {
      server.kill("SIGTERM");
    }
  });
});
